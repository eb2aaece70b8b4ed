#pragma once

#include "app/core_runtime.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/raw_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>

namespace portico::testkit {

/// A real core (CoreRuntime: engines, control thread, control API with the inspector's
/// endpoints, capture hub) in a temporary PORTICO_HOME, with one entry point `web` on
/// 127.0.0.1:0, `websecure` (TLS) likewise, and routers `shop` (Host shop.localhost) and `blog`
/// (Host blog.localhost) to a real backend that records what it receives. The backend answers
/// `/status/N` with status N,
/// `/deflate` with a deflate-encoded text body, anything else 200 `hello <target>`.
class InspectorFixture
{
public:
    InspectorFixture();
    ~InspectorFixture();

    /// Binds, starts the control thread and waits until both routes answer.
    bool start();

    app::CoreRuntime &core() { return *m_core; }
    HttpServer &backend() { return m_backend; }
    quint16 apiPort() const { return quint16(m_core->apiUrl().port()); }
    quint16 proxyPort() const;
    QByteArray token() const;
    QString home() const { return m_home.path(); }

    /// One request through the proxy to `host` on a fresh connection.
    RawResponse send(const QByteArray &host, const QByteArray &method, const QByteArray &target,
        const QList<QByteArray> &headers = {}, const QByteArray &body = {});
    /// GET over TLS (SNI `host`) to the `websecure` entry point; the status, 0 on failure.
    int sendTls(const QByteArray &host, const QByteArray &target);
    /// One API call (Host 127.0.0.1); `withToken` adds the bearer token.
    RawResponse api(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
        bool withToken = false);
    /// GET on the API, the body parsed as JSON (null when not 200).
    QJsonDocument apiJson(const QByteArray &target);
    /// Waits until the list endpoint shows `count` complete records matching `query`.
    QJsonArray waitForRecords(const QByteArray &query, int count);

private:
    QTemporaryDir m_home;
    QByteArray m_oldHome;
    HttpServer m_backend;
    std::unique_ptr<app::CoreRuntime> m_core;
};

} // namespace portico::testkit
