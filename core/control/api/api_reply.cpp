#include "core/control/api/api_reply.h"

namespace portico::control::api {

ApiReply::ApiReply() = default;

ApiReply::~ApiReply() = default;

void ApiReply::respond(const ApiResponse &response)
{
    if (!isOpen() || m_streaming)
        return;
    m_done = true;
    if (m_sink)
        m_sink->replyComplete(response);
    else
        m_pending.push_back([response](ApiReplySink &sink) { sink.replyComplete(response); });
}

void ApiReply::startStream(
    int status, const QByteArray &contentType, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    if (!isOpen() || m_streaming)
        return;
    m_streaming = true;
    if (m_sink)
        m_sink->replyStreamHead(status, contentType, headers);
    else
        m_pending.push_back(
            [=](ApiReplySink &sink) { sink.replyStreamHead(status, contentType, headers); });
}

bool ApiReply::write(const QByteArray &data)
{
    if (!isOpen() || !m_streaming)
        return false;
    if (!m_sink) {
        m_pending.push_back([data](ApiReplySink &sink) { sink.replyStreamData(data); });
        return true;
    }
    return m_sink->replyStreamData(data);
}

void ApiReply::end()
{
    if (!isOpen() || !m_streaming)
        return;
    m_done = true;
    if (m_sink)
        m_sink->replyStreamEnd();
    else
        m_pending.push_back([](ApiReplySink &sink) { sink.replyStreamEnd(); });
}

void ApiReply::attach(ApiReplySink *sink)
{
    m_sink = sink;
    // The sink may detach (client gone) while the backlog is replayed.
    for (auto pending = std::exchange(m_pending, {}); auto &step : pending) {
        if (!m_sink)
            break;
        step(*m_sink);
    }
}

void ApiReply::detach()
{
    m_sink = nullptr;
    m_pending.clear();
    if (m_done || m_clientGone)
        return;
    m_clientGone = true;
    Q_EMIT disconnected();
}

} // namespace portico::control::api
