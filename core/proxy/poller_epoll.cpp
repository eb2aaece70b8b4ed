// Linux Poller: one epoll set per engine thread, level-triggered, watched by one QSocketNotifier.
#include "core/proxy/poller.h"

#include <QSocketNotifier>

#include <sys/epoll.h>
#include <unistd.h>

namespace portico::proxy {

namespace {

thread_local Poller *t_current = nullptr;

class EpollPoller final : public Poller
{
public:
    EpollPoller()
        : m_epoll(::epoll_create1(EPOLL_CLOEXEC))
        , m_notifier(m_epoll, QSocketNotifier::Read)
    {
        QObject::connect(
            &m_notifier, &QSocketNotifier::activated, &m_notifier, [this] { dispatch(); });
    }
    ~EpollPoller() override
    {
        m_notifier.setEnabled(false);
        ::close(m_epoll);
    }

    void add(net::Handle socket, PollHandler *handler, bool read, bool write) override
    {
        epoll_event e = event(handler, read, write);
        ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, int(socket), &e);
    }
    void update(net::Handle socket, PollHandler *handler, bool read, bool write) override
    {
        epoll_event e = event(handler, read, write);
        ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, int(socket), &e);
    }
    void remove(net::Handle socket) override
    {
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, int(socket), nullptr);
    }

private:
    static epoll_event event(PollHandler *handler, bool read, bool write)
    {
        epoll_event e {};
        e.events = (read ? EPOLLIN | EPOLLRDHUP : 0u) | (write ? EPOLLOUT : 0u);
        e.data.ptr = handler;
        return e;
    }

    void dispatch()
    {
        epoll_event events[128];
        const int n = ::epoll_wait(m_epoll, events, 128, 0);
        for (int i = 0; i < n; ++i) {
            const uint32_t ev = events[i].events;
            const bool failed = ev & (EPOLLERR | EPOLLHUP);
            static_cast<PollHandler *>(events[i].data.ptr)
                ->onPollEvent(failed || (ev & (EPOLLIN | EPOLLRDHUP)), failed || (ev & EPOLLOUT));
        }
    }

    int m_epoll;
    QSocketNotifier m_notifier;
};

} // namespace

std::unique_ptr<Poller> Poller::create()
{
    return std::make_unique<EpollPoller>();
}

Poller *Poller::current()
{
    return t_current;
}

void Poller::setCurrent(Poller *poller)
{
    t_current = poller;
}

} // namespace portico::proxy
