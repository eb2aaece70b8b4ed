#include "tests/testkit/wait.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

namespace portico::testkit {

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QDeadlineTimer deadline(timeoutMs);
    QTimer poll;
    // Checked every millisecond while the loop serves every other event without delay.
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || deadline.hasExpired())
            loop.quit();
    });
    poll.start(1);
    loop.exec();
    return done();
}

} // namespace portico::testkit
