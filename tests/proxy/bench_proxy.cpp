// A standalone engine for benchmarks: `bench_proxy PORT UPSTREAM_URL [THREADS]` serves every
// request on 127.0.0.1:PORT from UPSTREAM_URL until SIGINT/SIGTERM (then shuts down gracefully).
// Used with /work/shared/tools/peers.sh: EXTRA="portico=PORT".
#include "core/proxy/proxy_server.h"
#include "tests/testkit/proxy_fixture.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace {

int g_signalPipe[2];

void onSignal(int)
{
    const char c = 1;
    (void)::write(g_signalPipe[1], &c, 1);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_proxy PORT UPSTREAM_URL [THREADS]\n");
        return 2;
    }
    using namespace portico;
    config::EntryPointSpec ep = testkit::loopbackEntryPoint();
    ep.port = quint16(QByteArray(argv[1]).toUInt());
    const int threads = argc > 3 ? QByteArray(argv[3]).toInt() : 0;
    proxy::ProxyServer server;
    server.setRoutingTable(testkit::makeRoutingTable(
        ep.name, { { QStringLiteral("PathPrefix(`/`)"), { QString::fromLocal8Bit(argv[2]) } } }));
    auto listening = server.listen({ ep }, {}, threads);
    if (!listening) {
        std::fprintf(stderr, "%s\n", qPrintable(listening.error().toString()));
        return 1;
    }
    std::fprintf(stderr, "listening on 127.0.0.1:%u with %d engine threads\n", server.port(ep.name),
        server.threadCount());
    if (::pipe(g_signalPipe) != 0)
        return 1;
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app,
        [&] { server.shutdown(std::chrono::milliseconds(2000)); });
    QObject::connect(&server, &proxy::ProxyServer::finished, &app, &QCoreApplication::quit);
    return app.exec();
}
