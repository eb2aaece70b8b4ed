#include "core/tls/tls_log.h"

Q_LOGGING_CATEGORY(lcTls, "portico.tls", QtInfoMsg)
