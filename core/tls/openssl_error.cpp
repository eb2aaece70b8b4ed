#include "core/tls/openssl_error.h"

#include <QStringList>

#include <openssl/err.h>

namespace portico::tls {

Error opensslError(const QString &what)
{
    QStringList reasons;
    char buffer[256];
    while (const unsigned long code = ERR_get_error()) {
        ERR_error_string_n(code, buffer, sizeof buffer);
        reasons << QString::fromLatin1(buffer);
    }
    if (reasons.isEmpty())
        return Error { what, {}, {} };
    return Error { what + QStringLiteral(": ") + reasons.join(QStringLiteral("; ")), {}, {} };
}

void clearOpensslErrors()
{
    ERR_clear_error();
}

} // namespace portico::tls
