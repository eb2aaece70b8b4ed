#include "tests/servers_transport/transport_fixture.h"

#include "core/config/loader.h"
#include "core/control/table_builder.h"

#include <QProcess>

namespace portico::testing {

namespace {

/// Leaf extensions: what a CA signs for a server or a client (OpenSSL `-extfile` syntax).
const char *const kServerExtensions
    = "basicConstraints=critical,CA:FALSE\nkeyUsage=digitalSignature\n"
      "extendedKeyUsage=serverAuth\n"
      "subjectAltName=DNS:backend.internal,URI:spiffe://portico.test/backend\n";
const char *const kClientExtensions = "basicConstraints=critical,CA:FALSE\n"
                                      "keyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n";

bool openssl(const QString &dir, const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        qWarning().noquote() << "openssl" << args.join(u' ') << "failed:" << p.readAll();
        return false;
    }
    return true;
}

bool selfSigned(const QString &dir, const QString &name, const QString &cn)
{
    return openssl(dir,
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
            QStringLiteral("-keyout"), name + QStringLiteral("-key.pem"), QStringLiteral("-out"),
            name + QStringLiteral(".pem"), QStringLiteral("-days"), QStringLiteral("2"),
            QStringLiteral("-subj"), QStringLiteral("/CN=") + cn });
}

bool signedLeaf(const QString &dir, const QString &name, const QString &cn, const QString &ca,
    const char *extensions)
{
    QFile ext(dir + u'/' + name + QStringLiteral(".ext"));
    if (!ext.open(QIODevice::WriteOnly) || ext.write(extensions) < 0)
        return false;
    ext.close();
    return openssl(dir,
               { QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"),
                   QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                   QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                   QStringLiteral("-keyout"), name + QStringLiteral("-key.pem"),
                   QStringLiteral("-out"), name + QStringLiteral(".csr"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=") + cn })
        && openssl(dir,
            { QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                name + QStringLiteral(".csr"), QStringLiteral("-CA"), ca + QStringLiteral(".pem"),
                QStringLiteral("-CAkey"), ca + QStringLiteral("-key.pem"),
                QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("2"),
                QStringLiteral("-extfile"), name + QStringLiteral(".ext"), QStringLiteral("-out"),
                name + QStringLiteral(".pem") });
}

} // namespace

bool TestPki::create()
{
    const QString dir = m_dir.path();
    return m_dir.isValid() && selfSigned(dir, QStringLiteral("ca"), QStringLiteral("Test CA"))
        && selfSigned(dir, QStringLiteral("other"), QStringLiteral("Other CA"))
        && selfSigned(dir, QStringLiteral("clientca"), QStringLiteral("Client CA"))
        && signedLeaf(dir, QStringLiteral("server"), QStringLiteral("backend.internal"),
            QStringLiteral("ca"), kServerExtensions)
        && signedLeaf(dir, QStringLiteral("client"), QStringLiteral("portico-client"),
            QStringLiteral("clientca"), kClientExtensions);
}

TransportProxy::TransportProxy(
    const QByteArray &yaml, const config::ServersTransportSpec &staticTransport)
{
    config::EntryPointSpec web;
    web.name = QStringLiteral("web");
    web.host = QStringLiteral("127.0.0.1");
    web.address = QStringLiteral("127.0.0.1:0");
    web.asDefault = true;
    m_server = std::make_unique<proxy::ProxyServer>();
    if (auto listening = m_server->listen({ web }, staticTransport, 1); !listening) {
        qWarning().noquote() << listening.error().toString();
        return;
    }
    const control::TableBuilder builder({ web });
    auto built = builder.build({ { QStringLiteral("file"),
                                   config::parseDynamicConfig(yaml, QStringLiteral("dyn.yaml")) } },
        1);
    m_state = built.state;
    m_server->setRoutingTable(built.table);
    m_ok = true;
}

testkit::RawResponse TransportProxy::get(const QByteArray &host, const QByteArray &path)
{
    testkit::RawClient client;
    if (!client.connectTo(m_server->port(QStringLiteral("web"))))
        return {};
    client.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    const auto &responses = client.waitForResponses(1, 20000);
    return responses.empty() ? testkit::RawResponse {} : responses.front();
}

} // namespace portico::testing
