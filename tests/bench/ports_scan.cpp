// CPU cost of the ports provider's scan with ~500 listening sockets owned by another process.
// Prints CPU per listener-table read (cold and warm) and per provider scan in steady state;
// run through tests/bench/ports_scan.sh. Measures, never asserts.
#include "core/provider/ports/listener_table.h"
#include "core/provider/ports/ports_provider.h"
#include "tests/provider_ports/dev_server_process.h"
#include "tests/testkit/wait.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <cstdio>
#include <ctime>
#include <functional>

using namespace portico;
using namespace std::chrono_literals;

namespace {

double cpuMs()
{
    timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

/// Mean CPU milliseconds of `work` over `rounds` runs.
double measure(int rounds, const std::function<void()> &work)
{
    const double start = cpuMs();
    for (int i = 0; i < rounds; ++i)
        work();
    return (cpuMs() - start) / rounds;
}

// 500 listeners that accept and close at once (a non-HTTP service), so probes settle quickly.
const char *const listeners = R"(
import selectors, socket
sel = selectors.DefaultSelector()
for _ in range(%1):
    s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(64); s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
print('port', s.getsockname()[1])
while True:
    for key, _ in sel.select():
        try:
            c, _ = key.fileobj.accept(); c.close()
        except OSError:
            pass
)";

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? atoi(argv[1]) : 500;
    QTemporaryDir home;
    qputenv("PORTICO_HOME", home.path().toUtf8());
    testkit::DevServerProcess child;
    if (!child.start(
            home.path(), { QStringLiteral("-c"), QString::fromLatin1(listeners).arg(count) }))
        return 1;

    auto table = provider::ports::makeListenerTable();
    const double cold = measure(1, [&] { table->read(); });
    const size_t total = table->read().size();
    const double warm = measure(200, [&] { table->read(); });
    std::printf("listening sockets in table: %zu (%d from the child)\n", total, count);
    std::printf("listener table, first read (owner walk): %.2f ms cpu\n", cold);
    std::printf("listener table, steady read:             %.3f ms cpu (owner walks: %llu)\n", warm,
        static_cast<unsigned long long>(table->ownerScans()));

    config::PortsProviderSpec spec;
    spec.interval = 3600s; // scans are driven by hand below
    provider::ports::PortsProvider provider(spec, home.filePath(QStringLiteral("ports.json")));
    const double first = measure(1, [&] { provider.start(); });
    testkit::waitUntil([&] { return provider.undecidedCount() == 0; }, 60000);
    for (int i = 0; i < 50 && provider.undecidedCount() > 0; ++i)
        provider.scan();
    testkit::waitUntil([&] { return provider.undecidedCount() == 0; }, 60000);
    const double steady = measure(200, [&] { provider.scan(); });
    std::printf("provider, first scan (identify %zu listeners): %.2f ms cpu\n", total, first);
    std::printf("provider, steady scan:                     %.3f ms cpu\n", steady);
    std::printf(
        "idle at the default 2 s interval:         %.3f %% of one core\n", steady / 2000.0 * 100.0);
    return 0;
}
