#include "core/tls/trust/java_store.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace portico::tls::trust {

namespace {

// JDK 9+ keeps cacerts in lib/security, JDK 8 in jre/lib/security.
QString cacertsOf(const QString &javaHome)
{
    for (const char *relative : { "/lib/security/cacerts", "/jre/lib/security/cacerts" }) {
        const QString path = javaHome + QLatin1String(relative);
        if (QFileInfo::exists(path))
            return path;
    }
    return {};
}

QString javaHomeOfPath()
{
    const QString java = findProgram(QStringLiteral("java"));
    if (java.isEmpty())
        return {};
    // /usr/bin/java → /etc/alternatives/java → /usr/lib/jvm/<jdk>/bin/java
    QDir home = QFileInfo(QFileInfo(java).canonicalFilePath()).dir();
    home.cdUp();
    return home.absolutePath();
}

} // namespace

QList<QPair<QString, QString>> parseKeytoolList(const QByteArray &output)
{
    // `<alias>, <date>, trustedCertEntry,` then `Certificate fingerprint (SHA-256): AB:CD:...`
    static const QRegularExpression aliasLine(
        QStringLiteral("^(.+?), .*, (?:trustedCertEntry|PrivateKeyEntry),\\s*$"));
    static const QRegularExpression fingerprintLine(
        QStringLiteral("^Certificate fingerprint \\(SHA-256\\): ([0-9A-Fa-f:]+)"));
    QList<QPair<QString, QString>> result;
    QString alias;
    for (const QString &line : QString::fromUtf8(output).split(QLatin1Char('\n'))) {
        if (const auto match = aliasLine.match(line); match.hasMatch()) {
            alias = match.captured(1);
        } else if (const auto fp = fingerprintLine.match(line); fp.hasMatch() && !alias.isEmpty()) {
            result.append({ alias, fp.captured(1).remove(QLatin1Char(':')).toUpper() });
            alias.clear();
        }
    }
    return result;
}

JavaStore::JavaStore(QString cacerts, QString keytool, QString password)
    : m_cacerts(std::move(cacerts))
    , m_keytool(std::move(keytool))
    , m_password(std::move(password))
{ }

std::unique_ptr<JavaStore> JavaStore::find(const QString &javaHome)
{
    const QString home = javaHome.isEmpty() ? javaHomeOfPath() : javaHome;
    if (home.isEmpty())
        return nullptr;
    const QString cacerts = cacertsOf(home);
    if (cacerts.isEmpty())
        return nullptr;
    // findExecutable adds `.exe` on Windows.
    QString keytool = QStandardPaths::findExecutable(
        QStringLiteral("keytool"), { home + QStringLiteral("/bin") });
    if (keytool.isEmpty())
        keytool = findProgram(QStringLiteral("keytool"));
    return std::make_unique<JavaStore>(cacerts, keytool);
}

QString JavaStore::description() const
{
    return m_cacerts + QStringLiteral(" (keytool)");
}

bool JavaStore::isAvailable() const
{
    return !m_keytool.isEmpty() && QFileInfo::exists(m_cacerts);
}

QString JavaStore::unavailableReason() const
{
    return m_keytool.isEmpty() ? QStringLiteral("keytool not found") : QString();
}

bool JavaStore::needsElevation() const
{
    // Debian links every JDK's cacerts to /etc/ssl/certs/java/cacerts, owned by root.
    return !QFileInfo(QFileInfo(m_cacerts).canonicalFilePath()).isWritable();
}

Command JavaStore::keytool(QStringList arguments) const
{
    arguments << QStringLiteral("-keystore") << m_cacerts << QStringLiteral("-storepass")
              << m_password;
    return { m_keytool, arguments };
}

Expected<QList<QPair<QString, QString>>> JavaStore::entries() const
{
    auto output = m_runner.runChecked(keytool({ QStringLiteral("-list") }));
    if (!output)
        return output.error();
    return parseKeytoolList(*output);
}

Expected<bool> JavaStore::contains(const TrustedCa &ca) const
{
    auto list = entries();
    if (!list)
        return list.error();
    for (const auto &[alias, fingerprint] : *list) {
        if (fingerprint == ca.sha256)
            return true;
    }
    return false;
}

QList<Command> JavaStore::plannedInstall(const TrustedCa &ca) const
{
    return { keytool({ QStringLiteral("-importcert"), QStringLiteral("-noprompt"),
        QStringLiteral("-trustcacerts"), QStringLiteral("-alias"), ca.javaAlias(),
        QStringLiteral("-file"), ca.certificatePath }) };
}

QList<Command> JavaStore::plannedRemoval() const
{
    QList<Command> commands;
    const auto list = entries();
    if (!list)
        return commands;
    for (const auto &entry : *list) {
        if (entry.first.startsWith(javaAliasPrefix()))
            commands.append(
                keytool({ QStringLiteral("-delete"), QStringLiteral("-alias"), entry.first }));
    }
    return commands;
}

Expected<void> JavaStore::install(const TrustedCa &ca)
{
    auto present = contains(ca);
    if (!present)
        return present.error();
    if (*present)
        return {};
    auto imported = m_runner.runChecked(plannedInstall(ca).constFirst());
    if (!imported)
        return imported.error();
    return {};
}

Expected<void> JavaStore::deleteAlias(const QString &alias)
{
    auto deleted = m_runner.runChecked(
        keytool({ QStringLiteral("-delete"), QStringLiteral("-alias"), alias }));
    if (!deleted)
        return deleted.error();
    return {};
}

Expected<void> JavaStore::remove(const TrustedCa &ca)
{
    auto list = entries();
    if (!list)
        return list.error();
    for (const auto &[alias, fingerprint] : *list) {
        if (fingerprint == ca.sha256) {
            if (auto deleted = deleteAlias(alias); !deleted)
                return deleted;
        }
    }
    return {};
}

Expected<int> JavaStore::removeAllPortico()
{
    auto list = entries();
    if (!list)
        return list.error();
    int removed = 0;
    for (const auto &entry : *list) {
        if (!entry.first.startsWith(javaAliasPrefix()))
            continue;
        if (auto deleted = deleteAlias(entry.first); !deleted)
            return deleted.error();
        ++removed;
    }
    return removed;
}

} // namespace portico::tls::trust
