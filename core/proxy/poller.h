#pragma once

#include "core/proxy/socket.h"

#include <memory>

namespace portico::proxy {

/// Receives readiness of one socket registered with a Poller.
class PollHandler
{
public:
    virtual ~PollHandler() = default;
    /// The socket is readable and/or writable (errors and hang-ups report both).
    virtual void onPollEvent(bool readable, bool writable) = 0;
};

/// Socket readiness for one engine thread. On Linux one epoll set watched by a single
/// QSocketNotifier on the epoll descriptor, so the Qt event loop polls one fd however many
/// connections the engine holds; elsewhere one QSocketNotifier pair per socket.
/// Handlers must stay alive until the event loop returns after remove() (deferred deletion).
class Poller
{
public:
    virtual ~Poller() = default;
    /// A poller for the calling thread's event loop.
    static std::unique_ptr<Poller> create();
    /// The poller of the calling engine thread (set by the engine), or nullptr.
    static Poller *current();
    static void setCurrent(Poller *poller);

    virtual void add(net::Handle socket, PollHandler *handler, bool read, bool write) = 0;
    virtual void update(net::Handle socket, PollHandler *handler, bool read, bool write) = 0;
    virtual void remove(net::Handle socket) = 0;
};

} // namespace portico::proxy
