#include "core/http/forwarded.h"
