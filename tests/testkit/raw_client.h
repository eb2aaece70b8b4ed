#pragma once

#include "core/common/header_list.h"
#include "core/http/h1_parser.h"

#include <QByteArray>
#include <QHostAddress>
#include <QTcpSocket>

#include <memory>
#include <vector>

namespace portico::testkit {

/// A response as a raw client parsed it (1xx interim responses included).
struct RawResponse
{
    int status = 0;
    HeaderList headers;
    QByteArray body;
    HeaderList trailers;
};

/// A TCP client that writes exact bytes and parses what comes back, waiting by spinning the
/// event loop (so servers on the same thread keep running) — never by sleeping.
class RawClient
{
public:
    RawClient();
    ~RawClient();

    bool connectTo(
        quint16 port, const QHostAddress &address = QHostAddress::LocalHost, int timeoutMs = 5000);
    void send(const QByteArray &bytes);
    /// The methods of the requests sent, in order, so HEAD responses parse right.
    void expectMethods(const QList<QByteArray> &methods)
    {
        m_methods = methods;
        startResponse();
    }
    /// Waits until `count` responses (1xx included) are complete, the connection closed, or the
    /// timeout passed; returns all responses parsed so far.
    const std::vector<RawResponse> &waitForResponses(int count, int timeoutMs = 5000);
    /// Waits until the server closed the connection.
    bool waitForClosed(int timeoutMs = 5000);
    /// Waits until at least `bytes` bytes of response data arrived in total.
    bool waitForBytes(qint64 bytes, int timeoutMs = 5000);
    const std::vector<RawResponse> &responses() const { return m_responses; }
    const QByteArray &received() const { return m_received; }
    bool closed() const { return m_closed; }
    QTcpSocket &socket() { return *m_socket; }

private:
    void onReadyRead();
    void startResponse();

    std::unique_ptr<QTcpSocket> m_socket;
    std::unique_ptr<http::H1Parser> m_parser;
    QList<QByteArray> m_methods;
    int m_finals = 0;
    QByteArray m_received;
    QByteArray m_pending;
    std::vector<RawResponse> m_responses;
    RawResponse m_current;
    bool m_closed = false;
};

} // namespace portico::testkit
