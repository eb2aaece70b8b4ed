#pragma once

#include "core/config/static_spec.h"
#include "core/control/runtime_state.h"
#include "core/proxy/proxy_server.h"
#include "core/tls/leaf_service.h"
#include "tests/testkit/http_server.h"

#include <QByteArray>
#include <QStringList>
#include <QTemporaryDir>
#include <QThread>

#include <memory>
#include <vector>

namespace portico::testing {

/// What a client process printed.
struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// Runs `program` with the event loop turning (the upstream server lives on the test thread);
/// fails the test when it cannot start or does not finish within `timeoutMs`.
ProcessResult run(const QString &program, const QStringList &args, const QByteArray &input = {},
    int timeoutMs = 20000, const QStringList &env = {});

/// The TLS data plane as the app runs it, in process: a ProxyServer on loopback port 0 with the
/// local CA (PORTICO_HOME in a temporary directory) on its own "control" thread, a routing table
/// built by the real TableBuilder from dynamic YAML, and an upstream that answers every request
/// with `200 <method> <target> proto=<X-Forwarded-Proto> port=<X-Forwarded-Port>`.
class TlsProxyFixture
{
public:
    /// `entryPoints` get port 0 and host 127.0.0.1; `dynamicYaml` may use %UPSTREAM%;
    /// `transport` is the serversTransport toward upstreams.
    TlsProxyFixture(std::vector<config::EntryPointSpec> entryPoints, const QByteArray &dynamicYaml,
        const config::ServersTransportSpec &transport = {});
    ~TlsProxyFixture();

    bool ok() const { return m_ok; }
    quint16 port(const QString &entryPoint) const { return m_server->port(entryPoint); }
    /// `ca.pem` of the local CA.
    QString caPath() const;
    const control::RuntimeState &state() const { return m_state; }
    const QTemporaryDir &home() const { return m_home; }
    testkit::HttpServer &upstream() { return m_upstream; }
    proxy::ProxyServer &server() { return *m_server; }
    /// Leaves the CA issued since start (read on the control thread).
    int issuedCount();
    /// Rebuilds the table from new dynamic YAML.
    void reload(const QByteArray &dynamicYaml);

    /// `curl -sS --cacert ca.pem --resolve host:port:127.0.0.1 https://host:port<path>` with the
    /// response head included (-i); extra arguments go before the URL.
    ProcessResult curl(const QString &scheme, const QString &host, const QString &entryPoint,
        const QString &path = QStringLiteral("/"), const QStringList &extra = {});

private:
    QTemporaryDir m_home;
    QByteArray m_oldHome;
    testkit::HttpServer m_upstream;
    QThread m_control;
    std::unique_ptr<proxy::ProxyServer> m_server;
    std::vector<config::EntryPointSpec> m_entryPoints;
    control::RuntimeState m_state;
    bool m_ok = false;
};

/// An entry point on 127.0.0.1 port 0 (asDefault).
config::EntryPointSpec entryPoint(const QString &name, bool tls = false);

} // namespace portico::testing
