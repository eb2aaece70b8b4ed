#include "core/tls/trust/nss_store.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace portico::tls::trust {

namespace {

// A nickname can hold a certificate and, rarely, several with the same name: bounded retries.
constexpr int maxDeletesPerNickname = 8;

} // namespace

QStringList parseCertutilList(const QByteArray &output)
{
    // Each entry is `<nickname padded with spaces> <trust flags like CT,C,C or ,,>`.
    static const QRegularExpression entry(
        QStringLiteral("^(.*\\S)\\s+([A-Za-z]*,[A-Za-z]*,[A-Za-z]*)\\s*$"));
    QStringList names;
    for (const QString &line : QString::fromUtf8(output).split(QLatin1Char('\n'))) {
        const auto match = entry.match(line);
        if (match.hasMatch() && !line.startsWith(QStringLiteral("Certificate Nickname")))
            names.append(match.captured(1));
    }
    names.removeDuplicates();
    return names;
}

NssStore::NssStore(QString kind, QString name, QString directory, bool createIfMissing)
    : m_kind(std::move(kind))
    , m_name(std::move(name))
    , m_directory(std::move(directory))
    , m_createIfMissing(createIfMissing)
    , m_certutil(findProgram(QStringLiteral("certutil")))
{ }

QString NssStore::description() const
{
    return database() + QStringLiteral(" (certutil)");
}

bool NssStore::isAvailable() const
{
    return !m_certutil.isEmpty() && (databaseExists() || m_createIfMissing);
}

QString NssStore::unavailableReason() const
{
    if (m_certutil.isEmpty())
        return QStringLiteral("certutil not found (install libnss3-tools)");
    if (!databaseExists() && !m_createIfMissing)
        return QStringLiteral("no certificate database in \"%1\"").arg(m_directory);
    return {};
}

bool NssStore::databaseExists() const
{
    const QDir dir(m_directory);
    return dir.exists(QStringLiteral("cert9.db")) || dir.exists(QStringLiteral("cert8.db"));
}

QString NssStore::database() const
{
    // Firefox before 58 and old Chromium used the Berkeley DB format (cert8.db).
    const QDir dir(m_directory);
    const bool legacy
        = !dir.exists(QStringLiteral("cert9.db")) && dir.exists(QStringLiteral("cert8.db"));
    return (legacy ? QStringLiteral("dbm:") : QStringLiteral("sql:")) + m_directory;
}

Command NssStore::certutil(QStringList arguments) const
{
    arguments.prepend(database());
    arguments.prepend(QStringLiteral("-d"));
    return { m_certutil, arguments };
}

Expected<QStringList> NssStore::nicknames() const
{
    if (!databaseExists())
        return QStringList();
    auto output = m_runner.runChecked(certutil({ QStringLiteral("-L") }));
    if (!output)
        return output.error();
    return parseCertutilList(*output);
}

Expected<bool> NssStore::contains(const TrustedCa &ca) const
{
    auto names = nicknames();
    if (!names)
        return names.error();
    if (!names->contains(ca.nickname()))
        return false;
    auto pem = m_runner.runChecked(certutil(
        { QStringLiteral("-L"), QStringLiteral("-n"), ca.nickname(), QStringLiteral("-a") }));
    if (!pem)
        return pem.error();
    return certificatesInPem(*pem).contains(ca.der);
}

Expected<void> NssStore::createDatabase()
{
    if (!QDir().mkpath(m_directory))
        return Error { QStringLiteral("cannot create \"%1\"").arg(m_directory), {}, {} };
    auto created = m_runner.runChecked(
        certutil({ QStringLiteral("-N"), QStringLiteral("--empty-password") }));
    if (!created)
        return created.error();
    return {};
}

Expected<void> NssStore::install(const TrustedCa &ca)
{
    if (!databaseExists()) {
        if (auto created = createDatabase(); !created)
            return created;
    }
    auto present = contains(ca);
    if (!present)
        return present.error();
    if (*present)
        return {};
    // `C,,`: a trusted CA for TLS server certificates only, not e-mail or code signing.
    auto added = m_runner.runChecked(
        certutil({ QStringLiteral("-A"), QStringLiteral("-t"), QStringLiteral("C,,"),
            QStringLiteral("-n"), ca.nickname(), QStringLiteral("-i"), ca.certificatePath }));
    if (!added)
        return added.error();
    return {};
}

Expected<void> NssStore::deleteNickname(const QString &nickname)
{
    for (int attempt = 0; attempt < maxDeletesPerNickname; ++attempt) {
        auto names = nicknames();
        if (!names)
            return names.error();
        if (!names->contains(nickname))
            return {};
        auto deleted = m_runner.runChecked(
            certutil({ QStringLiteral("-D"), QStringLiteral("-n"), nickname }));
        if (!deleted)
            return deleted.error();
    }
    return Error { QStringLiteral("\"%1\" is still in \"%2\" after %3 deletions")
                       .arg(nickname, m_directory)
                       .arg(maxDeletesPerNickname),
        {}, {} };
}

Expected<void> NssStore::remove(const TrustedCa &ca)
{
    return deleteNickname(ca.nickname());
}

Expected<int> NssStore::removeAllPortico()
{
    auto names = nicknames();
    if (!names)
        return names.error();
    int removed = 0;
    for (const QString &nickname : *names) {
        if (!nickname.startsWith(nicknamePrefix()))
            continue;
        if (auto deleted = deleteNickname(nickname); !deleted)
            return deleted.error();
        ++removed;
    }
    return removed;
}

} // namespace portico::tls::trust
