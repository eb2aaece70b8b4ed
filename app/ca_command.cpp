#include "app/commands.h"
#include "core/common/paths.h"
#include "core/config/loader.h"
#include "core/tls/ca_environment.h"
#include "core/tls/local_ca.h"
#include "core/tls/trust/elevation.h"
#include "core/tls/trust/trust_stores.h"

#include <QTextStream>

namespace portico::app {

namespace {

using namespace portico::tls::trust;

QString usage()
{
    return QStringLiteral("usage: portico ca [show] [--config FILE]\n"
                          "       portico ca rotate [--no-elevate] [--config FILE]\n"
                          "       portico ca env [--shell sh|fish|powershell]\n"
                          "--config FILE reads portico.tls.extraSuffixes (the suffixes the CA "
                          "may certify besides localhost and test)\n");
}

int fail(const QString &message)
{
    QTextStream(stderr) << QStringLiteral("portico: ") << message << QLatin1Char('\n');
    return 2;
}

/// Removes `--config FILE` from `arguments` and returns the CA options it configures.
Expected<tls::CaOptions> takeCaOptions(QStringList &arguments)
{
    const qsizetype at = arguments.indexOf(QStringLiteral("--config"));
    if (at < 0)
        return tls::CaOptions {};
    if (at + 1 >= arguments.size())
        return Error { QStringLiteral("--config needs a file"), {}, {} };
    const QString file = arguments.at(at + 1);
    arguments.remove(at, 2);
    const config::StaticConfigResult loaded = config::loadStaticConfig(file);
    if (!loaded.ok())
        return loaded.errors.front();
    tls::CaOptions options;
    options.extraSuffixes = loaded.config.tlsExtraSuffixes;
    return options;
}

int show(const tls::LocalCa &ca)
{
    const auto trusted = TrustedCa::fromFile(ca.certificatePath());
    if (!trusted)
        return fail(trusted.error().toString());
    QTextStream out(stdout);
    out << QStringLiteral("path:        %1\n").arg(ca.certificatePath())
        << QStringLiteral("subject:     %1\n").arg(trusted->subject)
        << QStringLiteral("sha-256:     %1\n").arg(ca.sha256Fingerprint())
        << QStringLiteral("expires:     %1\n").arg(ca.notAfter().toString(Qt::ISODate))
        << QStringLiteral("permits:     %1\n").arg(ca.policy().describe());
    if (!ca.missingSuffixes().isEmpty())
        out << QStringLiteral("not covered: %1 (run `portico ca rotate` to add them)\n")
                   .arg(ca.missingSuffixes().join(QStringLiteral(", ")));
    return 0;
}

int rotate(tls::LocalCa &ca, const QStringList &arguments)
{
    if (!arguments.isEmpty() && arguments != QStringList { QStringLiteral("--no-elevate") })
        return fail(usage());
    const auto oldCa = TrustedCa::fromFile(ca.certificatePath());
    if (!oldCa)
        return fail(oldCa.error().toString());
    if (auto rotated = ca.rotate(); !rotated)
        return fail(rotated.error().toString());
    const auto newCa = TrustedCa::fromFile(ca.certificatePath());
    if (!newCa)
        return fail(newCa.error().toString());
    QTextStream out(stdout);
    out << QStringLiteral("rotated: %1 → %2\n").arg(oldCa->sha256, newCa->sha256);
    out << QStringLiteral("re-trusting where the old root was trusted:\n");
    out.flush();
    const auto policy = arguments.isEmpty() ? ElevationPolicy::Ask : ElevationPolicy::Never;
    const TrustStoreList stores = discoverTrustStores(StoreEnvironment::fromProcess());
    const auto results = replaceEverywhere(stores, *oldCa, *newCa, terminalElevator(out, policy));
    for (const StoreResult &result : results)
        out << QStringLiteral("  ") << result.toLine() << QLatin1Char('\n');
    if (results.isEmpty())
        out << QStringLiteral("  the old root was not trusted anywhere\n");
    out << QStringLiteral("a running Portico switches to the new root by itself\n");
    return allSucceeded(results) ? 0 : 1;
}

QString shellQuoted(const QString &value, const QString &shell)
{
    QString escaped = value;
    if (shell == QStringLiteral("powershell"))
        escaped.replace(QStringLiteral("'"), QStringLiteral("''"));
    else if (shell == QStringLiteral("fish"))
        escaped.replace(QStringLiteral("\\"), QStringLiteral("\\\\"))
            .replace(QStringLiteral("'"), QStringLiteral("\\'"));
    else
        escaped.replace(QStringLiteral("'"), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

QString assignment(const QString &name, const QString &value, const QString &shell)
{
    if (shell == QStringLiteral("fish"))
        return QStringLiteral("set -gx %1 %2;").arg(name, shellQuoted(value, shell));
    if (shell == QStringLiteral("powershell"))
        return QStringLiteral("$env:%1 = %2").arg(name, shellQuoted(value, shell));
    return QStringLiteral("export %1=%2").arg(name, shellQuoted(value, shell));
}

int env(const tls::LocalCa &ca, const QStringList &arguments)
{
#ifdef Q_OS_WIN
    QString shell = QStringLiteral("powershell");
#else
    QString shell = QStringLiteral("sh");
#endif
    if (arguments.size() == 2 && arguments.first() == QStringLiteral("--shell"))
        shell = arguments.last();
    else if (arguments.size() == 1 && arguments.first().startsWith(QStringLiteral("--shell=")))
        shell = arguments.first().mid(8);
    else if (!arguments.isEmpty())
        return fail(usage());
    if (shell == QStringLiteral("bash") || shell == QStringLiteral("zsh"))
        shell = QStringLiteral("sh");
    if (shell != QStringLiteral("sh") && shell != QStringLiteral("fish")
        && shell != QStringLiteral("powershell"))
        return fail(QStringLiteral("unknown shell \"%1\" (sh, fish or powershell)").arg(shell));
    QTextStream out(stdout);
    for (const auto &[name, value] : tls::caEnvironment(ca.certificatePath()))
        out << assignment(name, value, shell) << QLatin1Char('\n');
    return 0;
}

} // namespace

int runCa(const QStringList &arguments)
{
    const QString action = arguments.value(0, QStringLiteral("show"));
    if (action != QStringLiteral("show") && action != QStringLiteral("rotate")
        && action != QStringLiteral("env"))
        return fail(QStringLiteral("unknown ca command \"%1\"\n%2").arg(action, usage()));
    QStringList rest = arguments.mid(1);
    const auto options = takeCaOptions(rest);
    if (!options)
        return fail(options.error().toString());
    auto ca = tls::LocalCa::loadOrCreate(paths::caDir(), *options);
    if (!ca)
        return fail(ca.error().toString());
    if (action == QStringLiteral("rotate"))
        return rotate(*ca, rest);
    if (action == QStringLiteral("env"))
        return env(*ca, rest);
    return rest.isEmpty() ? show(*ca) : fail(usage());
}

} // namespace portico::app
