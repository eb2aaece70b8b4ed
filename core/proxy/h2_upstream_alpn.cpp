#include "core/proxy/h2_upstream_alpn.h"

#include "core/proxy/h2_upstream_connection.h"
#include "core/proxy/h2_upstream_stream.h"
#include "core/proxy/upstream_pool.h"

namespace portico::proxy {

AlpnMemory::Protocol AlpnMemory::protocol(const UpstreamKey &key) const
{
    const auto it = m_entries.find(key);
    return it == m_entries.end() ? Protocol::Unknown : it->second.protocol;
}

void AlpnMemory::remember(const UpstreamKey &key, Protocol protocol)
{
    m_entries[key].protocol = protocol;
}

void AlpnMemory::http1Opened(const UpstreamKey &key)
{
    ++m_entries[key].http1Connections;
}

void AlpnMemory::http1Closed(const UpstreamKey &key)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end() || --it->second.http1Connections > 0)
        return;
    if (it->second.protocol == Protocol::Http1)
        m_entries.erase(it); // nothing pooled is left: ask again by ALPN next time
    else
        it->second.http1Connections = 0;
}

AlpnUpstreamChannel::AlpnUpstreamChannel(
    UpstreamPool &pool, UpstreamKey key, UpstreamListener *listener)
    : QObject(&pool)
    , m_pool(pool)
    , m_key(std::move(key))
    , m_listener(listener)
{ }

AlpnUpstreamChannel *AlpnUpstreamChannel::open(
    UpstreamPool &pool, const UpstreamKey &key, UpstreamListener *listener)
{
    auto *channel = new AlpnUpstreamChannel(pool, key, listener);
    H2UpstreamStream *stream = pool.h2ConnectionFor(key)->open(channel);
    stream->setAlpnChannel(channel);
    channel->m_inner = stream;
    return channel;
}

void AlpnUpstreamChannel::onHttp1Negotiated()
{
    // The stream is detached by its connection; no request byte went out on it.
    m_inner = nullptr;
    if (!m_listener)
        return;
    // A dial that fails at once reports (and finishes this channel) before acquire returns.
    UpstreamChannel *inner = m_pool.acquireHttp1(m_key, this, true);
    if (m_listener)
        m_inner = inner;
}

void AlpnUpstreamChannel::sendRequestHead(const http::RequestHead &head, BodyInfo body)
{
    if (m_inner)
        m_inner->sendRequestHead(head, body);
}

void AlpnUpstreamChannel::sendRequestBody(QByteArrayView data)
{
    if (m_inner)
        m_inner->sendRequestBody(data);
}

void AlpnUpstreamChannel::finishRequest(const HeaderList &trailers)
{
    if (m_inner)
        m_inner->finishRequest(trailers);
}

void AlpnUpstreamChannel::flush()
{
    if (m_inner)
        m_inner->flush();
}

bool AlpnUpstreamChannel::congested()
{
    return m_inner && m_inner->congested();
}

void AlpnUpstreamChannel::setReadEnabled(bool enabled)
{
    if (m_inner)
        m_inner->setReadEnabled(enabled);
}

void AlpnUpstreamChannel::abandon()
{
    UpstreamChannel *inner = m_inner;
    finish();
    if (inner)
        inner->abandon();
}

void AlpnUpstreamChannel::onUpstreamConnected()
{
    if (m_listener)
        m_listener->onUpstreamConnected();
}

void AlpnUpstreamChannel::onUpstreamResponseHead(http::ResponseHead &head, BodyInfo body)
{
    if (m_listener)
        m_listener->onUpstreamResponseHead(head, body);
}

void AlpnUpstreamChannel::onUpstreamResponseBody(QByteArrayView data)
{
    if (m_listener)
        m_listener->onUpstreamResponseBody(data);
}

void AlpnUpstreamChannel::onUpstreamResponseComplete(const HeaderList &trailers)
{
    UpstreamListener *listener = m_listener;
    finish();
    if (listener)
        listener->onUpstreamResponseComplete(trailers);
}

void AlpnUpstreamChannel::onUpstreamFailed(UpstreamError error, bool gotResponseBytes)
{
    UpstreamListener *listener = m_listener;
    finish();
    if (listener)
        listener->onUpstreamFailed(error, gotResponseBytes);
}

void AlpnUpstreamChannel::onUpstreamDrained()
{
    if (m_listener)
        m_listener->onUpstreamDrained();
}

void AlpnUpstreamChannel::onUpstreamBatchEnd()
{
    if (m_listener)
        m_listener->onUpstreamBatchEnd();
}

void AlpnUpstreamChannel::finish()
{
    m_listener = nullptr;
    m_inner = nullptr;
    deleteLater(); // the inner channel may still be on the call stack with this listener
}

} // namespace portico::proxy
