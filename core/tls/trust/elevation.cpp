#include "core/tls/trust/elevation.h"

#include <cstdio>

#ifdef Q_OS_WIN
#include <io.h>
#define isatty _isatty
#else
#include <unistd.h>
#endif

namespace portico::tls::trust {

QStringList elevationPrefix()
{
    const QString custom = QString::fromLocal8Bit(qgetenv("PORTICO_ELEVATE")).trimmed();
    if (!custom.isEmpty())
        return custom.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    // sudo asks for a password on the terminal; pkexec asks through the desktop's polkit agent.
    const bool terminal = isatty(fileno(stdin));
    const QString sudo = findProgram(QStringLiteral("sudo"));
    const QString pkexec = findProgram(QStringLiteral("pkexec"));
    if (terminal && !sudo.isEmpty())
        return { sudo };
    if (!pkexec.isEmpty())
        return { pkexec };
    if (!sudo.isEmpty())
        return { sudo, QStringLiteral("--non-interactive") };
    return {};
}

Elevator terminalElevator(QTextStream &out, ElevationPolicy policy)
{
    return [&out, policy](const TrustStore &store,
               const QList<Command> &commands) -> std::optional<QStringList> {
        const QStringList prefix
            = policy == ElevationPolicy::Ask ? elevationPrefix() : QStringList();
        out << QStringLiteral("%1 (%2) is not writable by this user.\n")
                   .arg(store.name(), store.description());
        if (prefix.isEmpty()) {
            out << QStringLiteral(
                "Run these commands as root (e.g. with sudo), then `portico trust --check`:\n");
            for (const Command &command : commands)
                out << QStringLiteral("    ") << command.display() << QLatin1Char('\n');
            out.flush();
            return std::nullopt;
        }
        out << QStringLiteral("Portico will run, as root:\n");
        for (const Command &command : commands)
            out << QStringLiteral("    ") << prefix.join(QLatin1Char(' ')) << QLatin1Char(' ')
                << command.display() << QLatin1Char('\n');
        out.flush();
        return prefix;
    };
}

} // namespace portico::tls::trust
