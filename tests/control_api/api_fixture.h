#pragma once

#include "app/core_runtime.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/raw_client.h"

#include <QJsonDocument>
#include <QTemporaryDir>

#include <memory>

namespace portico::testkit {

/// A real core with its control API for the API tests: PORTICO_HOME in a temporary directory,
/// entry points `web` (default) and `traefik` on 127.0.0.1:0 with `api.insecure`, and a file
/// provider whose routes cover every status: `app` (enabled, middleware `strip`), `broken`
/// (missing service: disabled), `warn` (unknown entry point: warning), `api` (portico.localhost →
/// api@internal). Service `app` has one live server (UP) and one closed port (DOWN).
/// Registers a mutating test route `PUT /api/test/echo/{name}` answering its capture and body.
class ApiFixture
{
public:
    ApiFixture();
    ~ApiFixture();

    /// Binds, starts the control thread and waits until the state shows the DOWN server.
    bool start();

    app::CoreRuntime &core() { return *m_core; }
    quint16 apiPort() const { return quint16(m_core->apiUrl().port()); }
    quint16 port(const QString &entryPoint) const { return m_core->server().port(entryPoint); }
    QString upUrl() const { return m_backend.url(); }
    QString downUrl() const { return m_downUrl; }
    QString home() const { return m_home.path(); }
    /// The token the API generated in PORTICO_HOME.
    QByteArray token() const;

    /// One request on a fresh connection to `port` (the API's by default). `Host:
    /// 127.0.0.1:PORT` is added unless `headers` has a Host (or `noHost`).
    static RawResponse request(quint16 port, const QByteArray &method, const QByteArray &target,
        const QList<QByteArray> &headers = {}, const QByteArray &body = {}, bool noHost = false);
    RawResponse get(const QByteArray &target, const QList<QByteArray> &headers = {}) const
    {
        return request(apiPort(), "GET", target, headers);
    }
    /// GET `target` on the API, parsed as JSON (null when not 200 or not JSON).
    QJsonDocument json(const QByteArray &target) const;

private:
    QTemporaryDir m_home;
    QByteArray m_oldHome;
    HttpServer m_backend;
    QString m_downUrl;
    std::unique_ptr<app::CoreRuntime> m_core;
    control::RuntimeState m_state;
};

} // namespace portico::testkit
