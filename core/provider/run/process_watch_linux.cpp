#include "core/provider/run/process_watch.h"

#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <sys/syscall.h>
#include <unistd.h>

namespace portico::provider {

ProcessWatch::~ProcessWatch()
{
    delete m_notifier;
    if (m_handle >= 0)
        ::close(int(m_handle));
}

Expected<void> ProcessWatch::start()
{
    if (m_pid <= 0)
        return Error { QStringLiteral("invalid pid %1").arg(m_pid), {}, {} };
    // pidfd_open (Linux 5.3): the descriptor becomes readable when the process terminates, so the
    // event loop learns of it without polling and without a race on pid reuse.
    const long fd = ::syscall(SYS_pidfd_open, pid_t(m_pid), 0);
    if (fd < 0) {
        const int error = errno;
        return Error { error == ESRCH ? QStringLiteral("no process with pid %1").arg(m_pid)
                                      : QStringLiteral("cannot watch pid %1: %2")
                                            .arg(m_pid)
                                            .arg(QString::fromLocal8Bit(std::strerror(error))),
            {}, {} };
    }
    m_handle = qintptr(fd);
    auto *notifier = new QSocketNotifier(m_handle, QSocketNotifier::Read, this);
    m_notifier = notifier;
    connect(notifier, &QSocketNotifier::activated, this, [this, notifier] {
        notifier->setEnabled(false);
        Q_EMIT exited(m_pid);
    });
    return {};
}

} // namespace portico::provider
