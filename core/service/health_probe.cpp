#include "core/service/health_probe.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>

namespace portico::service {

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// peerCertURI: a certificate for a URI identity need not name the host; every other problem
/// (untrusted chain, expiry) still fails the probe.
void ignoreNameMismatch(QNetworkReply *reply)
{
    QObject::connect(
        reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError> &errors) {
            QList<QSslError> mismatches;
            for (const QSslError &e : errors) {
                if (e.error() == QSslError::HostNameMismatch)
                    mismatches << e;
            }
            if (mismatches.size() == errors.size())
                reply->ignoreSslErrors(mismatches);
        });
}

/// The host part of an authority as written, brackets kept (`[::1]:80` → `[::1]`).
QString writtenHost(const QByteArray &authority)
{
    const QString text = QString::fromUtf8(authority);
    if (text.startsWith(u'['))
        return text.left(text.indexOf(u']') + 1);
    const qsizetype colon = text.lastIndexOf(u':');
    return colon < 0 ? text : text.left(colon);
}

QString probePath(const QUrl &serverUrl, const QString &configured)
{
    // Go resolves the configured path against the server URL; an empty one keeps the URL's path.
    QString path = configured;
    if (path.isEmpty()) {
        path = serverUrl.path(QUrl::FullyEncoded);
        if (serverUrl.hasQuery())
            path += u'?' + serverUrl.query(QUrl::FullyEncoded);
    }
    return path.startsWith(u'/') ? path : u'/' + path;
}

QStringList dialHosts(const QString &host)
{
    // The data plane dials both loopbacks for `localhost`; so must its health check.
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return { QStringLiteral("127.0.0.1"), QStringLiteral("[::1]") };
    return { host.contains(u':') ? u'[' + host + u']' : host };
}

bool isDialFailure(QNetworkReply::NetworkError error)
{
    return error == QNetworkReply::ConnectionRefusedError
        || error == QNetworkReply::HostNotFoundError || error == QNetworkReply::UnknownNetworkError;
}

QString lowerFirst(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toLower();
    return text;
}

} // namespace

ProbeTarget probeTargetFor(const Server &server, const config::HealthCheckSpec &spec)
{
    const QUrl url(server.url);
    const QString scheme = spec.scheme.isEmpty() ? QString::fromLatin1(server.scheme) : spec.scheme;
    int port = spec.port > 0 ? spec.port : url.port(-1);
    if (port <= 0)
        port = scheme == QLatin1String("https") ? 443 : 80;
    const QString path = probePath(url, spec.path);
    const QString authority = spec.port > 0
        ? writtenHost(server.authority) + u':' + QString::number(spec.port)
        : QString::fromUtf8(server.authority);

    ProbeTarget target;
    // h2c servers (gRPC) answer only HTTP/2: probe them over cleartext with prior knowledge.
    target.h2c = scheme == QLatin1String("h2c");
    const QString dialScheme = target.h2c ? QStringLiteral("http") : scheme;
    for (const QString &host : dialHosts(server.host))
        target.dial.append(
            QUrl(dialScheme + QLatin1String("://") + host + u':' + QString::number(port) + path));
    target.hostHeader = spec.hostname.isEmpty() ? authority.toUtf8() : spec.hostname.toUtf8();
    target.peerName = server.host;
    target.display = scheme + QLatin1String("://") + authority + path;
    return target;
}

HealthProbe::HealthProbe(
    QNetworkAccessManager *manager, ProbeTarget target, Options options, QObject *parent)
    : QObject(parent)
    , m_manager(manager)
    , m_target(std::move(target))
    , m_options(std::move(options))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &HealthProbe::onTimeout);
}

HealthProbe::~HealthProbe()
{
    dropReply();
}

void HealthProbe::start()
{
    m_deadline.start(m_options.timeout);
    send(0);
}

void HealthProbe::abort()
{
    m_deadline.stop();
    dropReply();
}

void HealthProbe::send(qsizetype index)
{
    m_index = index;
    QNetworkRequest request(m_target.dial.at(index));
    request.setRawHeader("Host", m_target.hostHeader);
    request.setRawHeader("User-Agent", "portico/" PORTICO_VERSION);
    for (const auto &[name, value] : m_options.headers) {
        // Go ignores a Host entry in Header: the request's Host wins.
        if (name.compare("host", Qt::CaseInsensitive) != 0)
            request.setRawHeader(name, value);
    }
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
        m_options.followRedirects ? QNetworkRequest::NoLessSafeRedirectPolicy
                                  : QNetworkRequest::ManualRedirectPolicy);
    // Qt sends the verify name as SNI too, as serverName asks.
    request.setPeerVerifyName(
        m_options.serverName.isEmpty() ? m_target.peerName : m_options.serverName);
    if (!m_options.rootCAs.isEmpty() || !m_options.clientChain.isEmpty()) {
        QSslConfiguration tls = request.sslConfiguration();
        if (!m_options.rootCAs.isEmpty())
            tls.setCaCertificates(m_options.rootCAs);
        if (!m_options.clientChain.isEmpty()) {
            tls.setLocalCertificateChain(m_options.clientChain);
            tls.setPrivateKey(m_options.clientKey);
        }
        request.setSslConfiguration(tls);
    }
    if (m_options.http1Only)
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (m_target.h2c)
        request.setAttribute(QNetworkRequest::Http2DirectAttribute, true);
    m_reply = m_manager->sendCustomRequest(request, m_options.method);
    if (m_options.ignoreSslErrors)
        m_reply->ignoreSslErrors();
    else if (m_options.skipNameCheck)
        ignoreNameMismatch(m_reply);
    connect(m_reply, &QNetworkReply::finished, this, &HealthProbe::onReplyFinished);
}

void HealthProbe::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (status.isValid()) {
        const QString problem = statusProblem(status.toInt());
        finish(problem.isEmpty(), problem);
        return;
    }
    if (isDialFailure(reply->error()) && m_index + 1 < m_target.dial.size()) {
        send(m_index + 1);
        return;
    }
    finish(false, QStringLiteral("HTTP request failed: ") + lowerFirst(reply->errorString()));
}

void HealthProbe::onTimeout()
{
    dropReply();
    finish(false,
        QStringLiteral("HTTP request failed: no answer within %1 ms")
            .arg(m_options.timeout.count()));
}

QString HealthProbe::statusProblem(int status) const
{
    // Traefik pkg/healthcheck: without `status`, anything below 200 or from 400 on is down.
    if (m_options.expectedStatus == 0 && (status < 200 || status >= 400))
        return QStringLiteral("received error status code: %1").arg(status);
    if (m_options.expectedStatus != 0 && status != m_options.expectedStatus)
        return QStringLiteral("received error status code: %1 expected status code: %2")
            .arg(status)
            .arg(m_options.expectedStatus);
    return {};
}

void HealthProbe::finish(bool up, const QString &reason)
{
    m_deadline.stop();
    Q_EMIT finished(up, reason);
}

void HealthProbe::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    reply->abort();
    reply->deleteLater();
}

void applyTransport(HealthProbe::Options &options, const config::ServersTransportSpec &transport)
{
    options.ignoreSslErrors = transport.insecureSkipVerify && transport.peerCertURI.isEmpty();
    options.rootCAs = rootCertificates(transport.rootCAs);
    options.serverName = transport.serverName;
    options.http1Only = transport.disableHTTP2;
    options.skipNameCheck = !transport.peerCertURI.isEmpty();
    options.clientChain.clear();
    options.clientKey = QSslKey();
    if (transport.certificates.empty())
        return;
    const config::ClientCertificateSpec &client = transport.certificates.front();
    options.clientChain = rootCertificates({ client.certFile });
    const QByteArray key = client.keyFile.trimmed().startsWith(QLatin1String("-----BEGIN"))
        ? client.keyFile.toUtf8()
        : readFile(client.keyFile);
    for (const QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
        options.clientKey = QSslKey(key, algorithm);
        if (!options.clientKey.isNull())
            break;
    }
}

QList<QSslCertificate> rootCertificates(const QStringList &entries)
{
    QList<QSslCertificate> out;
    for (const QString &entry : entries) {
        out += entry.trimmed().startsWith(QLatin1String("-----BEGIN"))
            ? QSslCertificate::fromData(entry.toUtf8(), QSsl::Pem)
            : QSslCertificate::fromPath(entry, QSsl::Pem);
    }
    return out;
}

} // namespace portico::service
