#pragma once

#include "core/config/dynamic_spec.h"
#include "core/service/load_balancer.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <utility>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace portico::service {

/// Where and how to probe one server, derived once from its URL and the health check spec.
struct ProbeTarget
{
    QList<QUrl> dial; ///< addresses tried in order; `localhost` → 127.0.0.1 then [::1]
    QByteArray
        hostHeader; ///< `hostname` when set, else the URL's authority (port override applied)
    QString peerName; ///< name the TLS certificate must match (the URL's host)
    QString display; ///< `scheme://authority/path` for logs
    bool h2c = false; ///< HTTP/2 with prior knowledge (an `h2c://` server; dial URLs say http)
};

/// Builds the probe target of `server` under `spec`: scheme, port and path overrides applied
/// the way Traefik resolves them against the server URL (Go url.Parse + JoinHostPort).
ProbeTarget probeTargetFor(const Server &server, const config::HealthCheckSpec &spec);

/// The certificates of serversTransport `rootCAs` entries (PEM file paths or PEM text, as the
/// proxy's upstream TLS reads them); unreadable entries add nothing.
QList<QSslCertificate> rootCertificates(const QStringList &entries);

/// One active health-check request to one server. Connection failures move on to the next dial
/// address; the first HTTP answer decides. Deleting or aborting it never emits finished.
class HealthProbe : public QObject
{
    Q_OBJECT
public:
    /// What the request looks like and what counts as healthy.
    struct Options
    {
        QByteArray method = "GET";
        std::vector<std::pair<QByteArray, QByteArray>> headers;
        int expectedStatus = 0; ///< 0 = any 2xx or 3xx
        bool followRedirects = true;
        std::chrono::milliseconds timeout { 5000 };
        bool ignoreSslErrors = false;
        /// serversTransport `rootCAs`: trusted instead of the system roots when not empty.
        QList<QSslCertificate> rootCAs = {};
        /// serversTransport `serverName`: SNI and verified name instead of the URL's host.
        QString serverName = {};
        /// serversTransport `certificates` (the first): presented when the server asks.
        QList<QSslCertificate> clientChain = {};
        QSslKey clientKey = {};
        /// serversTransport `disableHTTP2`: HTTP/1.1 only.
        bool http1Only = false;
        /// serversTransport `peerCertURI`: the certificate need not match the host name (the
        /// chain is still verified; the URI itself is checked by the proxy, not by probes).
        bool skipNameCheck = false;
    };

    HealthProbe(QNetworkAccessManager *manager, ProbeTarget target, Options options,
        QObject *parent = nullptr);
    ~HealthProbe() override;

    /// Sends the request; finished follows exactly once unless the probe is aborted first.
    void start();
    /// Cancels the request in flight without emitting finished.
    void abort();

Q_SIGNALS:
    /// `reason` says why the server is down (Traefik's wording); empty when up.
    void finished(bool up, const QString &reason);

private:
    void send(qsizetype index);
    void onReplyFinished();
    void onTimeout();
    QString statusProblem(int status) const;
    void finish(bool up, const QString &reason);
    void dropReply();

    QNetworkAccessManager *m_manager;
    ProbeTarget m_target;
    Options m_options;
    QPointer<QNetworkReply> m_reply;
    qsizetype m_index = 0;
    QTimer m_deadline;
};

/// Fills the TLS fields of `options` from a serversTransport: probes reach a server the way the
/// proxy does (same trust, name, client certificate and protocol).
void applyTransport(HealthProbe::Options &options, const config::ServersTransportSpec &transport);

} // namespace portico::service
