#include "tests/tls_proxy/tls_proxy_fixture.h"

#include "core/config/loader.h"
#include "core/control/table_builder.h"
#include "tests/testkit/wait.h"

#include <QProcess>
#include <QTcpSocket>
#include <QTest>

namespace portico::testing {

namespace {

HeaderList contentType(const char *type)
{
    HeaderList headers;
    headers.add("Content-Type", type);
    return headers;
}

} // namespace

ProcessResult run(const QString &program, const QStringList &args, const QByteArray &input,
    int timeoutMs, const QStringList &env)
{
    ProcessResult result;
    QProcess p;
    if (!env.isEmpty()) {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        for (const QString &kv : env)
            e.insert(kv.section(u'=', 0, 0), kv.section(u'=', 1));
        p.setProcessEnvironment(e);
    }
    p.start(program, args);
    if (!p.waitForStarted(5000)) {
        qWarning() << "cannot start" << program;
        return result;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    const bool finished
        = testkit::waitUntil([&] { return p.state() == QProcess::NotRunning; }, timeoutMs);
    if (!finished) {
        qWarning() << program << "did not finish";
        p.kill();
        p.waitForFinished(2000);
        return result;
    }
    result.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    result.out = p.readAllStandardOutput();
    result.err = p.readAllStandardError();
    return result;
}

config::EntryPointSpec entryPoint(const QString &name, bool tls)
{
    config::EntryPointSpec spec;
    spec.name = name;
    spec.host = QStringLiteral("127.0.0.1");
    spec.address = QStringLiteral("127.0.0.1:0");
    spec.asDefault = true;
    if (tls)
        spec.tls = config::RouterTlsSpec {};
    return spec;
}

TlsProxyFixture::TlsProxyFixture(std::vector<config::EntryPointSpec> entryPoints,
    const QByteArray &dynamicYaml, const config::ServersTransportSpec &transport)
    : m_entryPoints(std::move(entryPoints))
{
    m_oldHome = qgetenv("PORTICO_HOME");
    qputenv("PORTICO_HOME", m_home.path().toUtf8());
    m_upstream.setHandler([](const testkit::ReceivedRequest &r, QTcpSocket *socket) {
        const QByteArray body = r.method + ' ' + r.target
            + " proto=" + r.headers.value("X-Forwarded-Proto")
            + " port=" + r.headers.value("X-Forwarded-Port") + '\n';
        testkit::HttpServer::respond(socket, 200, body, contentType("text/plain"));
    });
    if (!m_upstream.listen())
        return;
    m_control.setObjectName(QStringLiteral("control"));
    m_control.start();
    m_server = std::make_unique<proxy::ProxyServer>();
    auto ca = m_server->useLocalCa(m_home.filePath(QStringLiteral("ca")), &m_control);
    if (!ca) {
        qWarning().noquote() << ca.error().toString();
        return;
    }
    auto listening = m_server->listen(m_entryPoints, transport, 2);
    if (!listening) {
        qWarning().noquote() << listening.error().toString();
        return;
    }
    // Redirections name the port the target entry point actually got.
    for (config::EntryPointSpec &ep : m_entryPoints)
        ep.port = m_server->port(ep.name);
    reload(dynamicYaml);
    m_ok = true;
}

TlsProxyFixture::~TlsProxyFixture()
{
    m_server.reset();
    m_control.quit();
    m_control.wait();
    qputenv("PORTICO_HOME", m_oldHome);
}

void TlsProxyFixture::reload(const QByteArray &dynamicYaml)
{
    QByteArray text = dynamicYaml;
    text.replace("%UPSTREAM%", m_upstream.url().toUtf8());
    const control::TableBuilder builder(m_entryPoints);
    const auto built
        = builder.build({ { QStringLiteral("file"),
                            config::parseDynamicConfig(text, QStringLiteral("dyn.yaml")) } },
            1);
    m_state = built.state;
    m_server->setRoutingTable(built.table);
}

QString TlsProxyFixture::caPath() const
{
    return m_home.filePath(QStringLiteral("ca/ca.pem"));
}

int TlsProxyFixture::issuedCount()
{
    int count = -1;
    tls::LeafService *service = m_server->leafService();
    QMetaObject::invokeMethod(
        service, [&] { count = service->issuedCount(); }, Qt::BlockingQueuedConnection);
    return count;
}

ProcessResult TlsProxyFixture::curl(const QString &scheme, const QString &host,
    const QString &entryPoint, const QString &path, const QStringList &extra)
{
    const QString hostPort = QStringLiteral("%1:%2").arg(host).arg(port(entryPoint));
    QStringList args { QStringLiteral("-sS"), QStringLiteral("-i"), QStringLiteral("--max-time"),
        QStringLiteral("15"), QStringLiteral("--cacert"), caPath(), QStringLiteral("--resolve"),
        hostPort + QStringLiteral(":127.0.0.1") };
    args << extra << scheme + QStringLiteral("://") + hostPort + path;
    return run(QStringLiteral("curl"), args);
}

} // namespace portico::testing
