#include "core/common/log.h"

Q_LOGGING_CATEGORY(lcProxy, "portico.proxy", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "portico.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcControl, "portico.control", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProvider, "portico.provider", QtInfoMsg)
Q_LOGGING_CATEGORY(lcService, "portico.service", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "portico.http", QtInfoMsg)
