#include "tests/observe_api/inspector_fixture.h"

#include "core/common/paths.h"
#include "tests/testkit/wait.h"

#include <QFile>
#include <QSslSocket>
#include <QTcpSocket>

namespace portico::testkit {

namespace {

void answer(const ReceivedRequest &request, QTcpSocket *socket)
{
    if (request.target.startsWith("/status/")) {
        HttpServer::respond(socket, request.target.mid(8).toInt(), "status page");
    } else if (request.target == "/deflate") {
        HeaderList headers;
        headers.add("Content-Type", "text/plain");
        headers.add("Content-Encoding", "deflate");
        HttpServer::respond(
            socket, 200, qCompress(QByteArray("squeezed text ").repeated(10)).mid(4), headers);
    } else {
        HeaderList headers;
        headers.add("Content-Type", "text/plain");
        HttpServer::respond(socket, 200, "hello " + request.target, headers);
    }
}

QByteArray routes(const QString &backend)
{
    return "http:\n"
           "  routers:\n"
           "    shop: {rule: \"Host(`shop.localhost`)\", service: backend}\n"
           "    blog: {rule: \"Host(`blog.localhost`)\", service: backend}\n"
           "  services:\n"
           "    backend:\n"
           "      loadBalancer:\n"
           "        servers:\n"
           "          - url: "
        + backend.toUtf8() + "\n";
}

} // namespace

InspectorFixture::InspectorFixture()
    : m_oldHome(qgetenv("PORTICO_HOME"))
    , m_backend(&answer)
{
    qputenv("PORTICO_HOME", m_home.path().toUtf8());
    m_backend.listen();
    const QString routesPath = m_home.filePath(QStringLiteral("routes.yaml"));
    QFile file(routesPath);
    if (file.open(QIODevice::WriteOnly))
        file.write(routes(m_backend.url()));
    file.close();

    config::StaticConfig config;
    config::EntryPointSpec web;
    web.name = QStringLiteral("web");
    web.host = QStringLiteral("127.0.0.1");
    web.address = QStringLiteral("127.0.0.1:0");
    web.asDefault = true;
    config::EntryPointSpec websecure = web;
    websecure.name = QStringLiteral("websecure");
    websecure.tls = config::RouterTlsSpec {}; // every router here serves TLS (local CA leaves)
    config.entryPoints = { web, websecure };
    config.fileProvider = config::FileProviderSpec { routesPath, {}, false };
    config.capture.history.enabled = false; // the ring only: each test starts empty
    config.engineThreads = 1;
    config.graceTimeout = std::chrono::milliseconds(100);
    m_core = std::make_unique<app::CoreRuntime>(config);
}

InspectorFixture::~InspectorFixture()
{
    m_core.reset();
    if (m_oldHome.isNull())
        qunsetenv("PORTICO_HOME");
    else
        qputenv("PORTICO_HOME", m_oldHome);
}

bool InspectorFixture::start()
{
    if (!m_core->listen())
        return false;
    m_core->startControl();
    const bool routed = waitUntil(
        [this] {
            return send("shop.localhost", "GET", "/ready").status == 200
                && send("blog.localhost", "GET", "/ready").status == 200;
        },
        10000);
    // The probes are not part of any test: forget them once their records are final.
    const bool settled = waitUntil([this] {
        const QJsonArray records = apiJson("/api/portico/requests").array();
        return std::all_of(records.begin(), records.end(), [](const QJsonValue &record) {
            return record[QLatin1String("state")].toString() != QLatin1String("inProgress");
        });
    });
    return routed && settled && api("DELETE", "/api/portico/requests", {}, true).status == 204;
}

quint16 InspectorFixture::proxyPort() const
{
    return m_core->server().port(QStringLiteral("web"));
}

QByteArray InspectorFixture::token() const
{
    QFile file(paths::apiTokenPath());
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
}

RawResponse InspectorFixture::send(const QByteArray &host, const QByteArray &method,
    const QByteArray &target, const QList<QByteArray> &headers, const QByteArray &body)
{
    RawClient client;
    if (!client.connectTo(proxyPort()))
        return {};
    QByteArray head = method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    for (const QByteArray &header : headers)
        head += header + "\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    client.send(head + "Connection: close\r\n\r\n" + body);
    client.expectMethods({ method });
    const auto &responses = client.waitForResponses(1);
    return responses.empty() ? RawResponse {} : responses.front();
}

int InspectorFixture::sendTls(const QByteArray &host, const QByteArray &target)
{
    QSslSocket socket;
    socket.setPeerVerifyMode(QSslSocket::VerifyNone); // the local CA is not trusted here
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"),
        m_core->server().port(QStringLiteral("websecure")), QString::fromLatin1(host));
    if (!waitUntil([&] { return socket.isEncrypted(); }, 10000))
        return 0;
    socket.write("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    QByteArray received;
    waitUntil([&] {
        received += socket.readAll();
        return socket.state() == QAbstractSocket::UnconnectedState || received.contains("\r\n\r\n");
    });
    return received.startsWith("HTTP/1.1 ") ? received.mid(9, 3).toInt() : 0;
}

RawResponse InspectorFixture::api(
    const QByteArray &method, const QByteArray &target, const QByteArray &body, bool withToken)
{
    QList<QByteArray> headers { "Host: 127.0.0.1:" + QByteArray::number(apiPort()) };
    if (withToken)
        headers << "Authorization: Bearer " + token();
    RawClient client;
    if (!client.connectTo(apiPort()))
        return {};
    QByteArray head = method + ' ' + target + " HTTP/1.1\r\n" + headers.join("\r\n") + "\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    client.send(head + "Connection: close\r\n\r\n" + body);
    client.expectMethods({ method });
    const auto &responses = client.waitForResponses(1, 35000);
    return responses.empty() ? RawResponse {} : responses.front();
}

QJsonDocument InspectorFixture::apiJson(const QByteArray &target)
{
    const RawResponse response = api("GET", target);
    return response.status == 200 ? QJsonDocument::fromJson(response.body) : QJsonDocument();
}

QJsonArray InspectorFixture::waitForRecords(const QByteArray &query, int count)
{
    QJsonArray records;
    waitUntil([&] {
        records = apiJson("/api/portico/requests?" + query).array();
        int complete = 0;
        for (const QJsonValue &record : records)
            complete += record[QLatin1String("state")].toString() == QLatin1String("complete");
        return complete == count && records.size() == count;
    });
    return records;
}

} // namespace portico::testkit
