#include "core/tls/pem_file.h"
#include "core/tls/trust/system_store.h"

#include <QDir>
#include <QFileInfo>

namespace portico::tls::trust {

namespace {

// Debian's script accepts every path as an option, which lets tests run the real tool against a
// sandbox without touching /etc.
Command debianRefresh(const QString &root, const QString &tool)
{
    if (root.isEmpty())
        return { tool, {} };
    return { tool,
        { QStringLiteral("--certsconf"), root + QStringLiteral("/etc/ca-certificates.conf"),
            QStringLiteral("--certsdir"), root + QStringLiteral("/usr/share/ca-certificates"),
            QStringLiteral("--localcertsdir"),
            root + QStringLiteral("/usr/local/share/ca-certificates"),
            QStringLiteral("--etccertsdir"), root + QStringLiteral("/etc/ssl/certs"),
            QStringLiteral("--hooksdir"),
            root + QStringLiteral("/etc/ca-certificates/update.d") } };
}

// The closest existing ancestor decides whether we may create the directory.
bool writableOrCreatable(const QString &path)
{
    QFileInfo info(path);
    while (!info.exists()) {
        const QString parent = info.absolutePath();
        if (parent == info.absoluteFilePath())
            return false;
        info = QFileInfo(parent);
    }
    return info.isWritable();
}

QList<Command> removalCommands(const QStringList &paths, const Command &refresh)
{
    return { { QStringLiteral("rm"), QStringList { QStringLiteral("-f") } + paths }, refresh };
}

} // namespace

SystemLayout detectSystemLayout(const QString &root)
{
    const QString debianTool = findProgram(QStringLiteral("update-ca-certificates"));
    const QString trustTool = findProgram(QStringLiteral("update-ca-trust"));
    if (!debianTool.isEmpty())
        return { QStringLiteral("debian"),
            root + QStringLiteral("/usr/local/share/ca-certificates"),
            root + QStringLiteral("/etc/ssl/certs/ca-certificates.crt"),
            debianRefresh(root, debianTool) };
    if (!trustTool.isEmpty() && QFileInfo::exists(root + QStringLiteral("/etc/pki/ca-trust")))
        return { QStringLiteral("fedora"),
            root + QStringLiteral("/etc/pki/ca-trust/source/anchors"),
            root + QStringLiteral("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"),
            { trustTool, { QStringLiteral("extract") } } };
    if (!trustTool.isEmpty())
        return { QStringLiteral("arch"),
            root + QStringLiteral("/etc/ca-certificates/trust-source/anchors"),
            root + QStringLiteral("/etc/ssl/certs/ca-certificates.crt"), { trustTool, {} } };
    return {};
}

SystemStore::SystemStore(const QString &root)
    : m_layout(detectSystemLayout(root))
{ }

SystemStore::SystemStore(SystemLayout layout)
    : m_layout(std::move(layout))
{ }

QString SystemStore::name() const
{
    return QStringLiteral("system store");
}

QString SystemStore::description() const
{
    if (m_layout.family.isEmpty())
        return QStringLiteral("no update-ca-certificates or update-ca-trust");
    return QStringLiteral("%1 (%2)").arg(
        m_layout.anchorDir, QFileInfo(m_layout.refresh.program).fileName());
}

bool SystemStore::isAvailable() const
{
    return !m_layout.family.isEmpty();
}

QString SystemStore::unavailableReason() const
{
    return isAvailable()
        ? QString()
        : QStringLiteral("neither update-ca-certificates nor update-ca-trust found");
}

bool SystemStore::needsElevation() const
{
    return !writableOrCreatable(m_layout.anchorDir)
        || !writableOrCreatable(QFileInfo(m_layout.bundle).absolutePath());
}

Expected<bool> SystemStore::contains(const TrustedCa &ca) const
{
    // The generated bundle, not our anchor file, is what clients read: an anchor that was never
    // extracted does not count as trusted.
    if (!QFileInfo::exists(m_layout.bundle))
        return false;
    auto bundle = readWholeFile(m_layout.bundle);
    if (!bundle)
        return bundle.error();
    return certificatesInPem(*bundle).contains(ca.der);
}

QList<Command> SystemStore::plannedInstall(const TrustedCa &ca) const
{
    return { { QStringLiteral("install"),
                 { QStringLiteral("-D"), QStringLiteral("-m"), QStringLiteral("0644"),
                     ca.certificatePath,
                     m_layout.anchorDir + QLatin1Char('/') + ca.anchorFileName() } },
        m_layout.refresh };
}

QList<Command> SystemStore::plannedRemoval() const
{
    const QStringList anchors = porticoAnchors();
    if (anchors.isEmpty())
        return {};
    return removalCommands(anchors, m_layout.refresh);
}

Expected<void> SystemStore::install(const TrustedCa &ca)
{
    auto present = contains(ca);
    if (!present)
        return present.error();
    if (*present)
        return {};
    for (const Command &command : plannedInstall(ca)) {
        if (auto done = m_runner.runChecked(command); !done)
            return done.error();
    }
    return {};
}

Expected<void> SystemStore::remove(const TrustedCa &ca)
{
    const QString anchor = m_layout.anchorDir + QLatin1Char('/') + ca.anchorFileName();
    if (!QFileInfo::exists(anchor))
        return {};
    return removeFiles({ anchor });
}

Expected<int> SystemStore::removeAllPortico()
{
    const QStringList anchors = porticoAnchors();
    if (anchors.isEmpty())
        return 0;
    if (auto removed = removeFiles(anchors); !removed)
        return removed.error();
    return int(anchors.size());
}

QStringList SystemStore::porticoAnchors() const
{
    QStringList paths;
    const QDir dir(m_layout.anchorDir);
    const QStringList pattern { anchorFilePrefix() + QStringLiteral("*.crt") };
    for (const QString &file : dir.entryList(pattern, QDir::Files))
        paths.append(dir.filePath(file));
    return paths;
}

Expected<void> SystemStore::removeFiles(const QStringList &paths)
{
    for (const Command &command : removalCommands(paths, m_layout.refresh)) {
        if (auto done = m_runner.runChecked(command); !done)
            return done.error();
    }
    return {};
}

} // namespace portico::tls::trust
