#include "core/control/api/api_security.h"

#include "core/common/paths.h"

#include <QFile>
#include <QRandomGenerator>
#include <QUrl>

namespace portico::control::api {

namespace {

bool isDottedQuad(QByteArrayView text)
{
    int dots = 0;
    for (char c : text) {
        if (c == '.')
            ++dots;
        else if (c < '0' || c > '9')
            return false;
    }
    return dots == 3;
}

/// The host part of `host[:port]` / `[v6][:port]`, brackets removed; null when malformed.
QByteArray hostPart(QByteArrayView value)
{
    QByteArray text = value.toByteArray().trimmed().toLower();
    if (text.startsWith('[')) {
        const qsizetype close = text.indexOf(']');
        if (close < 0)
            return {};
        const QByteArray rest = text.mid(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(':'))
            return {};
        return text.mid(1, close - 1);
    }
    const qsizetype colon = text.indexOf(':');
    if (colon >= 0) {
        const QByteArray port = text.mid(colon + 1);
        if (port.contains(':'))
            return {};
        text.truncate(colon);
    }
    if (text.endsWith('.'))
        text.chop(1); // an absolute name, `localhost.`
    return text;
}

bool isLoopbackName(const QByteArray &host)
{
    if (host.isEmpty())
        return false;
    // RFC 6761 §6.3: `localhost` and names under it resolve to loopback.
    if (host == "localhost" || host.endsWith(".localhost"))
        return true;
    if (isDottedQuad(host) || host.contains(':')) {
        const QHostAddress address(QString::fromLatin1(host));
        return !address.isNull() && address.isLoopback();
    }
    return false;
}

} // namespace

Expected<ControlAddress> parseControlAddress(const QString &text)
{
    const QByteArray host = hostPart(text.toLatin1());
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = colon >= 0;
    const uint port = ok ? text.mid(colon + 1).toUInt(&ok) : 0;
    if (!ok || port > 65535 || host.isNull())
        return Error { QStringLiteral("control address \"%1\" is not host:port").arg(text),
            { {}, 0, 0, QStringLiteral("portico.controlAddress") },
            QStringLiteral("use e.g. \"127.0.0.1:0\" (a free port) or \"127.0.0.1:9900\"") };
    const QHostAddress address = host == "localhost" ? QHostAddress(QHostAddress::LocalHost)
                                                     : QHostAddress(QString::fromLatin1(host));
    if (address.isNull() || !address.isLoopback())
        return Error { QStringLiteral("control address \"%1\" is not a loopback address").arg(text),
            { {}, 0, 0, QStringLiteral("portico.controlAddress") },
            QStringLiteral("the control API only listens on 127.0.0.1 or [::1]; use "
                           "\"127.0.0.1:%1\"")
                .arg(port) };
    return ControlAddress { address, quint16(port) };
}

bool isLoopbackHost(QByteArrayView host)
{
    return isLoopbackName(hostPart(host));
}

bool isLoopbackOrigin(QByteArrayView origin)
{
    const QUrl url(QString::fromLatin1(origin.toByteArray()), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https"))
        return false;
    const QString host = url.host();
    const bool v6 = host.contains(QLatin1Char(':'));
    return isLoopbackName(
        (v6 ? QLatin1Char('[') + host + QLatin1Char(']') : host).toLatin1().toLower());
}

Expected<QByteArray> loadOrCreateToken()
{
    if (auto home = paths::ensureHomeDir(); !home)
        return home.error();
    QFile file(paths::apiTokenPath());
    if (file.open(QIODevice::ReadOnly)) {
        const QByteArray token = file.readAll().trimmed();
        file.close();
        if (token.size() >= 32) {
            // A copied or restored file may have lost its mode; the token is a password.
            file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
            return token;
        }
        file.remove();
    }
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words); // the OS CSPRNG (getrandom, RtlGenRandom)
    const QByteArray token
        = QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex();
    // NewOnly + explicit permissions: the file never exists with a wider mode, not even briefly.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFile::ReadOwner | QFile::WriteOwner)
        || file.write(token + '\n') != token.size() + 1)
        return Error { QStringLiteral("cannot write the API token \"%1\": %2")
                           .arg(file.fileName(), file.errorString()),
            {}, QStringLiteral("check the permissions of the directory or set PORTICO_HOME") };
    return token;
}

bool bearerMatches(QByteArrayView authorization, QByteArrayView token)
{
    const QByteArray value = authorization.toByteArray().trimmed();
    const qsizetype space = value.indexOf(' ');
    if (space < 0 || value.left(space).toLower() != "bearer" || token.isEmpty())
        return false;
    const QByteArray given = value.mid(space + 1).trimmed();
    // Constant time over the expected token's length: the timing says nothing about the prefix.
    unsigned char difference = given.size() == token.size() ? 0 : 1;
    for (qsizetype i = 0; i < token.size(); ++i)
        difference |= (i < given.size() ? given.at(i) : 0) ^ token.at(i);
    return difference == 0;
}

} // namespace portico::control::api
