#pragma once

#include <QLoggingCategory>

/// Logging category of core/tls (`portico.tls`).
Q_DECLARE_LOGGING_CATEGORY(lcTls)
