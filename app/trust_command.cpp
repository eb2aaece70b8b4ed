#include "app/commands.h"
#include "core/common/paths.h"
#include "core/tls/local_ca.h"
#include "core/tls/trust/elevation.h"
#include "core/tls/trust/trust_stores.h"

#include <QFileInfo>
#include <QTextStream>

namespace portico::app {

namespace {

using namespace portico::tls::trust;

struct TrustOptions
{
    bool check = false;
    QStringList kinds; ///< --store system,nss,...; empty = every store
    ElevationPolicy elevation = ElevationPolicy::Ask;
};

QString usage()
{
    return QStringLiteral("usage: portico trust [--check] [--store KIND[,KIND...]] [--no-elevate]\n"
                          "       portico untrust [--store KIND[,KIND...]] [--no-elevate]\n"
                          "store kinds: %1\n")
        .arg(trustStoreKinds().join(QStringLiteral(", ")));
}

Expected<TrustOptions> parseOptions(const QString &verb, QStringList arguments)
{
    TrustOptions options;
    while (!arguments.isEmpty()) {
        const QString argument = arguments.takeFirst();
        if (argument == QStringLiteral("--check") && verb == QStringLiteral("trust")) {
            options.check = true;
        } else if (argument == QStringLiteral("--no-elevate")) {
            options.elevation = ElevationPolicy::Never;
        } else if (argument == QStringLiteral("--store") && !arguments.isEmpty()) {
            options.kinds += arguments.takeFirst().split(QLatin1Char(','), Qt::SkipEmptyParts);
        } else if (argument.startsWith(QStringLiteral("--store="))) {
            options.kinds += argument.mid(8).split(QLatin1Char(','), Qt::SkipEmptyParts);
        } else {
            return Error { QStringLiteral("unknown argument \"%1\"").arg(argument), {}, usage() };
        }
    }
    for (const QString &kind : options.kinds) {
        if (!trustStoreKinds().contains(kind))
            return Error { QStringLiteral("unknown store \"%1\"").arg(kind), {}, usage() };
    }
    return options;
}

void printResults(QTextStream &out, const QList<StoreResult> &results)
{
    for (const StoreResult &result : results)
        out << QStringLiteral("  ") << result.toLine() << QLatin1Char('\n');
    if (results.isEmpty())
        out << QStringLiteral("  no trust store selected\n");
}

// --check must not create a CA as a side effect: without one there is nothing to look for.
Expected<TrustedCa> existingCa()
{
    const QString path = paths::caDir() + QStringLiteral("/ca.pem");
    if (!QFileInfo::exists(path))
        return Error { QStringLiteral("no local CA in \"%1\" yet").arg(paths::caDir()), {},
            QStringLiteral("run `portico trust` to create and trust it") };
    return TrustedCa::fromFile(path);
}

Expected<TrustedCa> createdCa()
{
    auto ca = tls::LocalCa::loadOrCreate(paths::caDir(), {});
    if (!ca)
        return ca.error();
    return TrustedCa::fromFile(ca->certificatePath());
}

int report(const Error &error)
{
    QTextStream(stderr) << QStringLiteral("portico: ") << error.toString() << QLatin1Char('\n');
    return 2;
}

} // namespace

int runTrust(const QString &verb, const QStringList &arguments)
{
    const auto options = parseOptions(verb, arguments);
    if (!options)
        return report(options.error());
    QTextStream out(stdout);
    const TrustStoreList stores
        = selectStores(discoverTrustStores(StoreEnvironment::fromProcess()), options->kinds);
    const Elevator elevator = terminalElevator(out, options->elevation);
    if (verb == QStringLiteral("untrust")) {
        out << QStringLiteral("Removing every Portico CA from the trust stores:\n");
        const auto results = untrustAll(stores, elevator);
        printResults(out, results);
        return allSucceeded(results) ? 0 : 1;
    }
    const auto ca = options->check ? existingCa() : createdCa();
    if (!ca)
        return report(ca.error());
    out << QStringLiteral("Portico Local CA %1\n  %2\n  SHA-256 %3\n")
               .arg(ca->tag().toUpper(), ca->certificatePath, ca->sha256);
    out.flush();
    const auto results = options->check ? checkAll(stores, *ca) : trustAll(stores, *ca, elevator);
    printResults(out, results);
    return allSucceeded(results) ? 0 : 1;
}

} // namespace portico::app
