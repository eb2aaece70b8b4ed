#pragma once

#include "tests/tcp/tcp_backends.h"
#include "tests/tls_proxy/tls_proxy_fixture.h"

#include <QObject>
#include <QTemporaryDir>

#include <initializer_list>
#include <memory>

using portico::testing::TcpBackend;

/// Row values: QString from UTF-8 literals (the build forbids implicit casts).
inline QString s(const char *text)
{
    return QString::fromUtf8(text);
}

inline QStringList sl(std::initializer_list<const char *> texts)
{
    QStringList out;
    for (const char *t : texts)
        out << QString::fromUtf8(t);
    return out;
}

/// tst_tcp: unit rows in tst_tcp.cpp, the data plane with real clients in tst_tcp_data_plane.cpp.
class TestTcp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void clientHello_data();
    void clientHello();
    void clientHelloPrefixesNeedMore();

    void tcpRule_data();
    void tcpRule();
    void tcpRuleErrors_data();
    void tcpRuleErrors();
    void weightedSchedule();
    void decision_data();
    void decision();

    void configErrors_data();
    void configErrors();
    void badRouterDoesNotStopOthers();
    void routerJson();
    void apiEndpoints_data();
    void apiEndpoints();

    void passthroughCurlSeesBackendCertificate();
    void passthroughOpensslSeesBackendCertificate();
    void hostSniRegexpAndAlpn_data();
    void hostSniRegexpAndAlpn();
    void terminateThenTcp();
    void httpRoutersKeepWorking_data();
    void httpRoutersKeepWorking();
    void plainEchoWithHalfClose();
    void largeTransferBothWays();
    void serverFirstProtocol();
    void weightedDistribution();
    void ipAllowListRefuses();
    void tlsToBackend();
    void incompleteHelloTimesOut();
    void backendDownClosesClient();

private:
    QByteArray yamlFor(const QByteArray &upstreamUrl) const;
    quint16 port(const char *entryPoint) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TcpBackend> m_tlsBackend, m_echo, m_greeter, m_a, m_b, m_denied;
    std::unique_ptr<portico::testing::TlsProxyFixture> m_fixture;
};
