#include "core/http/request_target.h"
