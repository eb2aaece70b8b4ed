#include "core/tls/local_ca.h"

#include "core/tls/certificate_builder.h"
#include "core/tls/openssl_error.h"
#include "core/tls/pem_file.h"
#include "core/tls/tls_log.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSysInfo>

namespace portico::tls {

namespace {

QString defaultOwner()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    if (user.isEmpty())
        user = QStringLiteral("user");
    return user + u'@' + QSysInfo::machineHostName();
}

// RFC 5280 §4.2.1.9 (CA:TRUE, pathLen 0: it signs leaves only), §4.2.1.3 (keyCertSign and
// cRLSign), §4.2.1.2 (SKI, so leaves can point at it with an AKI). The EKU confines the root to
// TLS servers in verifiers that apply EKU to CAs (Windows, NSS); others ignore it.
Expected<void> addRootExtensions(X509 *cert, const NamePolicy &policy)
{
    const struct
    {
        int nid;
        const char *value;
    } conf[] = {
        { NID_basic_constraints, "critical,CA:TRUE,pathlen:0" },
        { NID_key_usage, "critical,keyCertSign,cRLSign" },
        { NID_subject_key_identifier, "hash" },
        { NID_ext_key_usage, "serverAuth" },
    };
    for (const auto &[nid, value] : conf) {
        if (auto added = addConfExtension(cert, cert, nid, value); !added)
            return added;
    }
    // RFC 5280 §4.2.1.10: conforming CAs MUST mark name constraints critical, which also makes
    // verifiers that cannot enforce them refuse the root rather than silently ignore them.
    auto nc = policy.toNameConstraints();
    if (!nc)
        return nc.error();
    return addExtension(cert, NID_name_constraints, nc->get(), true);
}

struct Root
{
    X509Ptr certificate;
    EvpPkeyPtr key;
};

Expected<Root> buildRoot(const CaOptions &options, const QDateTime &now)
{
    auto key = generateKey();
    if (!key)
        return key.error();
    const QString owner = options.owner.isEmpty() ? defaultOwner() : options.owner;
    auto name = makeName({ { "CN", QStringLiteral("Portico Local CA ") + owner },
        { "O", QStringLiteral("Portico local development CA") } });
    if (!name)
        return name.error();
    // Backdated an hour so a slightly slow clock elsewhere does not see a root from the future.
    auto cert = newCertificate({ key->get(), name->get(), name->get(), now.addSecs(-3600),
        now.addDays(options.validityDays) });
    if (!cert)
        return cert.error();
    const NamePolicy policy = NamePolicy::forSuffixes(options.extraSuffixes);
    if (auto ext = addRootExtensions(cert->get(), policy); !ext)
        return ext.error();
    if (auto signedOk = signCertificate(cert->get(), key->get()); !signedOk)
        return signedOk.error();
    return Root { std::move(*cert), std::move(*key) };
}

QString backupStamp(const QDateTime &now)
{
    return now.toString(QStringLiteral("yyyyMMdd-HHmmss"));
}

} // namespace

Expected<LocalCa> LocalCa::loadOrCreate(const QString &directory, const CaOptions &options)
{
    return open(directory, options, true);
}

Expected<LocalCa> LocalCa::loadExisting(const QString &directory, const CaOptions &options)
{
    return open(directory, options, false);
}

Expected<LocalCa> LocalCa::open(const QString &directory, const CaOptions &options, bool create)
{
    LocalCa ca;
    ca.m_directory = QDir::cleanPath(directory);
    ca.m_options = options;
    for (QString &suffix : ca.m_options.extraSuffixes) {
        auto parsed = parseDevSuffix(suffix);
        if (!parsed)
            return parsed.error();
        suffix = *parsed;
    }
    if (auto dir = makePrivateDirectory(ca.m_directory); !dir)
        return dir.error();
    const bool hasCert = QFile::exists(ca.certificatePath());
    const bool hasKey = QFile::exists(ca.keyPath());
    if (hasCert != hasKey) {
        return Error { QStringLiteral("the local CA in \"%1\" is incomplete: \"%2\" is missing")
                           .arg(ca.m_directory, hasCert ? ca.keyPath() : ca.certificatePath()),
            {},
            QStringLiteral("restore the missing file or remove both to create a new CA "
                           "(and trust it again)") };
    }
    if (!hasCert && !create) {
        return Error { QStringLiteral("there is no local CA in \"%1\"").arg(ca.m_directory), {},
            {} };
    }
    auto done = hasCert ? ca.load() : ca.create();
    if (!done)
        return done.error();
    return ca;
}

Expected<void> LocalCa::create()
{
    auto root = buildRoot(m_options, now());
    if (!root)
        return root.error();
    auto certPem = certificateToPem(root->certificate.get());
    auto keyPem = privateKeyToPem(root->key.get());
    if (!certPem || !keyPem)
        return certPem ? keyPem.error() : certPem.error();
    // Key first: a crash in between leaves an incomplete CA that loadOrCreate reports, never a
    // certificate whose key is lost.
    if (auto w = writeFileAtomically(keyPath(), *keyPem, ownerOnlyFile); !w)
        return w;
    const auto readable = ownerOnlyFile | QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (auto w = writeFileAtomically(certificatePath(), *certPem, readable); !w)
        return w;
    qCInfo(lcTls).noquote() << "created local CA" << certificatePath();
    return adopt(std::move(root->certificate), std::move(root->key));
}

Expected<void> LocalCa::load()
{
    auto certPem = readWholeFile(certificatePath());
    if (!certPem)
        return certPem.error();
    auto keyPem = readWholeFile(keyPath());
    if (!keyPem)
        return keyPem.error();
    auto cert = certificateFromPem(*certPem, certificatePath());
    if (!cert)
        return cert.error();
    auto key = privateKeyFromPem(*keyPem, keyPath());
    if (!key)
        return key.error();
    if (EVP_PKEY_eq(X509_get0_pubkey(cert->get()), key->get()) != 1) {
        return Error { QStringLiteral("\"%1\" does not match the certificate \"%2\"")
                           .arg(keyPath(), certificatePath()),
            {}, QStringLiteral("restore the matching pair or remove both files") };
    }
    if (X509_check_ca(cert->get()) == 0)
        return Error { QStringLiteral("\"%1\" is not a CA certificate").arg(certificatePath()), {},
            {} };
    if (toDateTime(X509_get0_notAfter(cert->get())) <= now()) {
        return Error { QStringLiteral("the local CA \"%1\" has expired").arg(certificatePath()), {},
            QStringLiteral("rotate the local CA and trust the new one") };
    }
    return adopt(std::move(*cert), std::move(*key));
}

Expected<void> LocalCa::adopt(X509Ptr certificate, EvpPkeyPtr key)
{
    m_policy = NamePolicy::fromCertificate(certificate.get())
                   .value_or(NamePolicy::forSuffixes(m_options.extraSuffixes));
    m_missingSuffixes.clear();
    for (const QString &suffix : std::as_const(m_options.extraSuffixes)) {
        if (!m_policy.permits(DevName { QStringLiteral("portico-probe.") + suffix, {} }))
            m_missingSuffixes << suffix;
    }
    if (!m_missingSuffixes.isEmpty()) {
        qCWarning(lcTls).noquote() << "the local CA does not permit" << m_missingSuffixes.join(u',')
                                   << "- run `portico ca rotate --config FILE` to add them";
    }
    m_certificate = share(std::move(certificate));
    m_key = share(std::move(key));
    return {};
}

Expected<void> LocalCa::rotate()
{
    const QString stamp = backupStamp(now());
    QString suffix = stamp;
    for (int n = 2; QFile::exists(m_directory + QStringLiteral("/ca-%1.pem").arg(suffix)); ++n)
        suffix = stamp + u'-' + QString::number(n);
    const QString oldCert = m_directory + QStringLiteral("/ca-%1.pem").arg(suffix);
    const QString oldKey = m_directory + QStringLiteral("/ca-key-%1.pem").arg(suffix);
    if (!QFile::rename(certificatePath(), oldCert))
        return Error { QStringLiteral("cannot move \"%1\" aside").arg(certificatePath()), {}, {} };
    if (!QFile::rename(keyPath(), oldKey)) {
        QFile::rename(oldCert, certificatePath());
        return Error { QStringLiteral("cannot move \"%1\" aside").arg(keyPath()), {}, {} };
    }
    if (auto created = create(); !created) {
        // Put the old pair back so a failed rotation leaves a working CA.
        QFile::remove(keyPath());
        QFile::remove(certificatePath());
        QFile::rename(oldCert, certificatePath());
        QFile::rename(oldKey, keyPath());
        return created;
    }
    qCInfo(lcTls).noquote() << "rotated local CA; previous one kept as" << oldCert;
    return {};
}

QString LocalCa::certificatePath() const
{
    return m_directory + QStringLiteral("/ca.pem");
}

QString LocalCa::keyPath() const
{
    return m_directory + QStringLiteral("/ca-key.pem");
}

QDateTime LocalCa::notAfter() const
{
    return toDateTime(X509_get0_notAfter(m_certificate.get()));
}

QString LocalCa::sha256Fingerprint() const
{
    return QString::fromLatin1(
        QCryptographicHash::hash(toDer(m_certificate.get()), QCryptographicHash::Sha256)
            .toHex()
            .toUpper());
}

QDateTime LocalCa::now() const
{
    return m_options.clock ? m_options.clock() : QDateTime::currentDateTimeUtc();
}

} // namespace portico::tls
