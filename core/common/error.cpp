#include "core/common/error.h"

namespace portico {

QString SourceLocation::toString() const
{
    QString out = file;
    if (line > 0) {
        out += u':' + QString::number(line);
        if (column > 0)
            out += u':' + QString::number(column);
    }
    if (!path.isEmpty())
        out += (out.isEmpty() ? QString() : QStringLiteral(": ")) + path;
    return out;
}

QString Error::toString() const
{
    const QString at = where.toString();
    QString out = at.isEmpty() ? message : at + QStringLiteral(": ") + message;
    if (!hint.isEmpty())
        out += QStringLiteral(" (") + hint + u')';
    return out;
}

} // namespace portico
