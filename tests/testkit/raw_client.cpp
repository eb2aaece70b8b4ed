#include "tests/testkit/raw_client.h"

#include "tests/testkit/wait.h"

namespace portico::testkit {

RawClient::RawClient()
    : m_socket(std::make_unique<QTcpSocket>())
    , m_parser(std::make_unique<http::H1Parser>(http::H1Parser::Mode::Response))
{
    QObject::connect(
        m_socket.get(), &QTcpSocket::readyRead, m_socket.get(), [this] { onReadyRead(); });
    QObject::connect(m_socket.get(), &QTcpSocket::disconnected, m_socket.get(), [this] {
        onReadyRead();
        if (m_parser->inMessage()
            && m_parser->finish().event == http::H1Parser::Event::MessageComplete) {
            m_current.trailers = m_parser->trailers();
            m_responses.push_back(m_current);
        }
        m_closed = true;
    });
    startResponse();
}

RawClient::~RawClient()
{
    QObject::disconnect(m_socket.get(), nullptr, m_socket.get(), nullptr);
}

bool RawClient::connectTo(quint16 port, const QHostAddress &address, int timeoutMs)
{
    m_socket->connectToHost(address, port);
    return waitUntil(
        [&] { return m_socket->state() == QAbstractSocket::ConnectedState; }, timeoutMs);
}

void RawClient::send(const QByteArray &bytes)
{
    m_socket->write(bytes);
    m_socket->flush();
}

void RawClient::startResponse()
{
    const QByteArray method = m_finals < m_methods.size() ? m_methods[m_finals] : "GET";
    m_parser->setRequestMethod(method);
}

void RawClient::onReadyRead()
{
    const QByteArray data = m_socket->readAll();
    m_received += data;
    m_pending += data;
    while (!m_pending.isEmpty()) {
        const auto r = m_parser->parse(m_pending.constData(), size_t(m_pending.size()));
        using Event = http::H1Parser::Event;
        if (r.event == Event::Head) {
            m_current = RawResponse();
            m_current.status = m_parser->response().status;
            m_current.headers = m_parser->response().headers;
        } else if (r.event == Event::Body) {
            m_current.body += m_parser->body();
        } else if (r.event == Event::MessageComplete) {
            m_current.trailers = m_parser->trailers();
            m_responses.push_back(m_current);
            if (m_current.status >= 200) {
                ++m_finals;
                startResponse();
            }
        }
        m_pending.remove(0, qsizetype(r.consumed));
        if (r.event == Event::NeedMore || r.event == Event::Error)
            break;
        if (r.event == Event::MessageComplete && m_parser->upgrade())
            break;
    }
}

const std::vector<RawResponse> &RawClient::waitForResponses(int count, int timeoutMs)
{
    (void)waitUntil([&] { return int(m_responses.size()) >= count || m_closed; }, timeoutMs);
    return m_responses;
}

bool RawClient::waitForClosed(int timeoutMs)
{
    return waitUntil([&] { return m_closed; }, timeoutMs);
}

bool RawClient::waitForBytes(qint64 bytes, int timeoutMs)
{
    return waitUntil([&] { return m_received.size() >= bytes || m_closed; }, timeoutMs);
}

} // namespace portico::testkit
