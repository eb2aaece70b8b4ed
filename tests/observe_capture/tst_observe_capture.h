#pragma once

#include "core/observe/capture_hub.h"
#include "core/proxy/proxy_server.h"
#include "tests/testkit/proxy_fixture.h"

#include <QObject>
#include <QTest>

namespace portico::testkit {

/// A ProxyServer (one engine thread, entry point `web` on loopback) publishing into a hub on the
/// test's thread, and every batch the hub announced.
class CaptureProxy
{
public:
    explicit CaptureProxy(
        proxy::RoutingTablePtr table, observe::CaptureSettings settings = {}, bool capture = true);
    ~CaptureProxy();

    bool ok() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    QString url(const QString &path = QStringLiteral("/")) const;
    observe::CaptureHub &hub() { return m_hub; }
    /// Waits until `count` exchanges finished; the last one, or null on timeout.
    observe::RecordPtr waitFinished(size_t count = 1, int timeoutMs = 10000);
    const observe::RecordBatch &published() const { return m_published; }
    const observe::RecordBatch &finished() const { return m_finished; }

private:
    observe::CaptureHub m_hub; ///< first: outlives the server's engines
    proxy::ProxyServer m_server;
    quint16 m_port = 0;
    observe::RecordBatch m_published;
    observe::RecordBatch m_finished;
};

/// makeRoutingTable with the routers' middleware names filled in (the inspector shows them).
proxy::RoutingTablePtr tableWithNames(
    const std::vector<TestRoute> &routes, const std::vector<QStringList> &middlewareNames);

} // namespace portico::testkit

class tst_ObserveCapture : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Through the proxy (tst_observe_capture.cpp).
    void h1RecordFields();
    void reusedConnectionConnectsInNoTime();
    void bodiesTruncatedAtCap_data();
    void bodiesTruncatedAtCap();
    void localAnswers_data();
    void localAnswers();
    void h2Record();
    void pauseStillFinishes();
    void routerFilter();
    void disabledCaptureRecordsNothing();
    void floodKeepsBudget();
    void abortedExchanges_data();
    void abortedExchanges();

    // Streams through the proxy (capture_streams.cpp).
    void webSocketMessages();
    void sseEvents_data();
    void sseEvents();
    void grpcByContentType();
    void tlsFacts_data();
    void tlsFacts();

    // Units (capture_units.cpp).
    void hubReplacesUpdatesById();
    void hubEvictsBodiesFirst();
    void hubKeepsSmallBodiesWithTheirRecord();
    void hubBatchesDelivery();
    void hubRecordsFilterAndPaging();
    void hubKeepsOrderAndBytesOutOfOrder_data();
    void hubKeepsOrderAndBytesOutOfOrder();
    void hubSettingsReferencesStayValid();
    void webSocketParser_data();
    void webSocketParser();
    void sseParser_data();
    void sseParser();
    void bodyDecoding_data();
    void bodyDecoding();
    void captureConfig_data();
    void captureConfig();

    // Memory (capture_memory.cpp).
    void heapChunkModel_data();
    void heapChunkModel();
    void byteCostCountsSharedBlocksOnce();
    void budgetHoldsInRealMemory_data();
    void budgetHoldsInRealMemory();
};
