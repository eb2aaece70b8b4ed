#include "core/http/hop_by_hop.h"
