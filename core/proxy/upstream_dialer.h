#pragma once

#include "core/proxy/socket.h"
#include "core/proxy/stream.h"

#include <QHostAddress>
#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace portico::proxy {

class UpstreamPool;
struct UpstreamKey;

/// The addresses an upstream host is tried on, in order, and the attempt in progress: what an
/// HTTP/1.1 connection and an h2c connection share about reaching their server.
class UpstreamDialer
{
public:
    /// Finds the candidates for `key`: a literal address; `localhost` as both loopback addresses,
    /// the one that worked last time first (dev servers often bind only one); else a DNS lookup.
    /// True when they are known at once; otherwise `ready` runs (on `context`'s thread, not after
    /// `context` is gone) once the lookup answered.
    bool resolve(
        UpstreamPool &pool, const UpstreamKey &key, QObject *context, std::function<void()> ready);
    /// Starts a non-blocking connect to the next candidate and puts its stream (with `handler`)
    /// in `stream`; a previous stream is deleted from `context`'s event loop, since the failed
    /// attempt may be on the call stack. False when no candidate is left (lastError() says why).
    bool connectNext(
        quint16 port, std::unique_ptr<Stream> &stream, StreamHandler *handler, QObject *context);

    /// The address of the attempt in progress (remember it once connected).
    const QHostAddress &dialing() const { return m_dialing; }
    int lastError() const { return m_lastError; }
    void setLastError(int error) { m_lastError = error; }

private:
    std::vector<QHostAddress> m_candidates;
    QHostAddress m_dialing;
    int m_lastError = 0;
};

} // namespace portico::proxy
