#pragma once

#include "core/config/dynamic_spec.h"
#include "core/control/runtime_state.h"
#include "core/proxy/proxy_server.h"
#include "tests/testkit/raw_client.h"

#include <QTemporaryDir>

#include <memory>

namespace portico::testing {

/// Certificates made once with the openssl command: a CA and a leaf for `backend.internal`
/// (also URI SAN `spiffe://portico.test/backend`, no IP SAN), an unrelated CA, and a client CA
/// with a client leaf `portico-client`.
class TestPki
{
public:
    /// False (with a warning) when openssl failed.
    bool create();
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString ca() const { return path(QStringLiteral("ca.pem")); }
    QString otherCa() const { return path(QStringLiteral("other.pem")); }
    QString serverCert() const { return path(QStringLiteral("server.pem")); }
    QString serverKey() const { return path(QStringLiteral("server-key.pem")); }
    QString clientCa() const { return path(QStringLiteral("clientca.pem")); }
    QString clientCert() const { return path(QStringLiteral("client.pem")); }
    QString clientKey() const { return path(QStringLiteral("client-key.pem")); }

private:
    QTemporaryDir m_dir;
};

/// A ProxyServer with one plain entry point `web` on loopback, the static `serversTransport`
/// given, and the routing table the real TableBuilder makes of `yaml` (file provider `file`).
class TransportProxy
{
public:
    TransportProxy(
        const QByteArray &yaml, const config::ServersTransportSpec &staticTransport = {});
    bool ok() const { return m_ok; }
    const control::RuntimeState &state() const { return m_state; }
    /// GET / with `Host: host`; the response (status 0 when none came within 20 s).
    testkit::RawResponse get(const QByteArray &host, const QByteArray &path = "/");

private:
    std::unique_ptr<proxy::ProxyServer> m_server;
    control::RuntimeState m_state;
    bool m_ok = false;
};

} // namespace portico::testing
