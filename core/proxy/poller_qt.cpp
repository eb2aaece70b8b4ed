// Portable Poller (Windows): one QSocketNotifier pair per socket.
#include "core/proxy/poller.h"

#include <QSocketNotifier>

#include <unordered_map>

namespace portico::proxy {

namespace {

thread_local Poller *t_current = nullptr;

class NotifierPoller final : public Poller
{
public:
    void add(net::Handle socket, PollHandler *handler, bool read, bool write) override
    {
        Entry &e = m_entries[socket];
        e.read = std::make_unique<QSocketNotifier>(socket, QSocketNotifier::Read);
        e.write = std::make_unique<QSocketNotifier>(socket, QSocketNotifier::Write);
        QObject::connect(e.read.get(), &QSocketNotifier::activated, e.read.get(),
            [handler] { handler->onPollEvent(true, false); });
        QObject::connect(e.write.get(), &QSocketNotifier::activated, e.write.get(),
            [handler] { handler->onPollEvent(false, true); });
        e.read->setEnabled(read);
        e.write->setEnabled(write);
    }
    void update(net::Handle socket, PollHandler *, bool read, bool write) override
    {
        auto it = m_entries.find(socket);
        if (it == m_entries.end())
            return;
        it->second.read->setEnabled(read);
        it->second.write->setEnabled(write);
    }
    void remove(net::Handle socket) override
    {
        auto it = m_entries.find(socket);
        if (it == m_entries.end())
            return;
        it->second.read->setEnabled(false);
        it->second.write->setEnabled(false);
        // Deleted from the event loop: remove() may run inside one of their signals.
        it->second.read.release()->deleteLater();
        it->second.write.release()->deleteLater();
        m_entries.erase(it);
    }

private:
    struct Entry
    {
        std::unique_ptr<QSocketNotifier> read;
        std::unique_ptr<QSocketNotifier> write;
    };
    std::unordered_map<net::Handle, Entry> m_entries;
};

} // namespace

std::unique_ptr<Poller> Poller::create()
{
    return std::make_unique<NotifierPoller>();
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
