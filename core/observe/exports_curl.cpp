// The request as a POSIX shell command line (sh, dash, bash, zsh): curl with the received method,
// URL, headers and body, so a request seen in the inspector can be sent again from a terminal.
#include "core/observe/export_helpers.h"
#include "core/observe/exports.h"

namespace portico::observe {

namespace {

/// POSIX single quotes: nothing inside is special; a `'` becomes `'\''`.
QString shellQuote(const QString &text)
{
    QString out = text;
    out.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

/// Octal escapes for printf's format string (POSIX printf: `\ddd`), one per byte.
QString printfOctal(const QByteArray &data)
{
    QString out;
    out.reserve(data.size() * 4);
    for (const char c : data)
        out += QStringLiteral("\\%1").arg(
            uint(static_cast<unsigned char>(c)), 3, 8, QLatin1Char('0'));
    return out;
}

/// Headers curl derives itself from the URL and the body, or that belong to the connection.
bool isImplied(QByteArrayView name)
{
    if (name.startsWith(':')) // HTTP/2 pseudo-headers: curl builds them from the URL
        return true;
    return HeaderList::nameEquals(name, "host") || HeaderList::nameEquals(name, "connection")
        || HeaderList::nameEquals(name, "transfer-encoding")
        || HeaderList::nameEquals(name, "content-length"); // curl counts the body it sends
}

QStringList headerArguments(const ExchangeRecord &record, const ExportOptions &options)
{
    const bool hasBody = !record.requestBody.data.isEmpty();
    QStringList out;
    for (const auto &field : record.requestHeaders) {
        if (isImplied(field.name))
            continue;
        const QString value = exportedHeaderValue(field, options);
        // `-H 'Name;'` sends an empty header; `-H 'Name:'` would remove it.
        const QString line = value.isEmpty()
            ? QString::fromLatin1(field.name) + QLatin1Char(';')
            : QString::fromLatin1(field.name) + QLatin1String(": ") + value;
        out << QStringLiteral("-H ") + shellQuote(line);
    }
    // curl adds `Content-Type: application/x-www-form-urlencoded` to a body; the client sent none.
    if (hasBody && !record.requestHeaders.contains("content-type"))
        out << QStringLiteral("-H 'Content-Type:'");
    return out;
}

/// `--http2` over TLS (ALPN), `--http2-prior-knowledge` for cleartext HTTP/2 (h2c).
QString versionArgument(const ExchangeRecord &record)
{
    if (!record.httpVersion.startsWith("HTTP/2"))
        return record.httpVersion == "HTTP/1.0" ? QStringLiteral("--http1.0") : QString();
    return record.scheme == "https" ? QStringLiteral("--http2")
                                    : QStringLiteral("--http2-prior-knowledge");
}

QString methodArgument(const ExchangeRecord &record, bool hasBody)
{
    if (record.method == "HEAD")
        return QStringLiteral("--head");
    if (record.method == "GET" || (record.method == "POST" && hasBody))
        return {};
    return QStringLiteral("-X ") + shellQuote(QString::fromLatin1(record.method));
}

} // namespace

QString toCurl(const ExchangeRecord &record, const ExportOptions &options)
{
    const QByteArray &body = record.requestBody.data;
    const bool hasBody = !body.isEmpty();
    // Text goes inline; binary data, and text curl would read as a file name (`@path`), is fed
    // on stdin through printf so the bytes arrive exactly.
    const bool inlineBody = hasBody && isPrintableText(body) && !body.startsWith('@');
    QString prefix;
    if (record.requestBody.truncated || record.requestBody.evicted)
        prefix = QStringLiteral("# the captured body holds %1 of %2 bytes\n")
                     .arg(body.size())
                     .arg(record.requestBody.size);
    if (hasBody && !inlineBody)
        prefix += QStringLiteral("printf ") + shellQuote(printfOctal(body)) + QStringLiteral(" | ");
    QStringList parts { QStringLiteral("curl") };
    if (const QString version = versionArgument(record); !version.isEmpty())
        parts << version;
    if (const QString method = methodArgument(record, hasBody); !method.isEmpty())
        parts << method;
    parts << shellQuote(recordUrl(record));
    parts << headerArguments(record, options);
    if (inlineBody)
        parts << QStringLiteral("--data-binary ") + shellQuote(QString::fromUtf8(body));
    else if (hasBody)
        parts << QStringLiteral("--data-binary @-");
    return prefix + parts.join(QLatin1String(" \\\n  "));
}

} // namespace portico::observe
