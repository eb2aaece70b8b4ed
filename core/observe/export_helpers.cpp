#include "core/observe/export_helpers.h"

#include <QDateTime>
#include <QStringDecoder>

namespace portico::observe {

bool isSecretHeader(QByteArrayView name)
{
    return HeaderList::nameEquals(name, "authorization")
        || HeaderList::nameEquals(name, "proxy-authorization")
        || HeaderList::nameEquals(name, "cookie") || HeaderList::nameEquals(name, "set-cookie");
}

QString exportedHeaderValue(const HeaderField &field, const ExportOptions &options)
{
    if (options.redact && isSecretHeader(field.name))
        return QStringLiteral("[redacted]");
    return QString::fromUtf8(field.value);
}

QString isoTime(qint64 utcMicros)
{
    return QDateTime::fromMSecsSinceEpoch(utcMicros / 1000, Qt::UTC).toString(Qt::ISODateWithMs);
}

QByteArray recordAuthority(const ExchangeRecord &record)
{
    QByteArray authority = record.requestHeaders.value("host");
    if (authority.isEmpty())
        authority = record.requestHeaders.value(":authority"); // HTTP/2 (RFC 9113 §8.3.1)
    return authority.isEmpty() ? record.host : authority;
}

QString recordUrl(const ExchangeRecord &record)
{
    const QByteArray scheme = record.scheme.isEmpty() ? QByteArrayLiteral("http") : record.scheme;
    // An absolute-form target (a proxy request, RFC 9112 §3.2.2) already is the URL.
    if (record.target.contains("://"))
        return QString::fromUtf8(record.target);
    return QString::fromUtf8(scheme + "://" + recordAuthority(record) + record.target);
}

bool isPrintableText(const QByteArray &data)
{
    for (const char c : data) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f)
            return false;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringConverter::Flag::Stateless);
    [[maybe_unused]] const QString text = decoder.decode(data); // conversion runs here
    return !decoder.hasError();
}

std::pair<QString, QString> textOrBase64(const QByteArray &data)
{
    if (isPrintableText(data))
        return { QString::fromUtf8(data), QStringLiteral("text") };
    return { QString::fromLatin1(data.toBase64()), QStringLiteral("base64") };
}

} // namespace portico::observe
