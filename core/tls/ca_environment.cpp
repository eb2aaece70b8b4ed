#include "core/tls/ca_environment.h"

#include "core/tls/pem_file.h"
#include "core/tls/tls_log.h"

#include <QFileInfo>

#include <openssl/x509.h>

namespace portico::tls {

namespace {

// Tools whose variable *replaces* their default trust store, so they get the full bundle.
const char *const bundleVariables[] = {
    "SSL_CERT_FILE", // OpenSSL-based: Python ssl, Ruby, PHP, curl built with OpenSSL
    "REQUESTS_CA_BUNDLE", // Python requests (ships certifi otherwise)
    "CURL_CA_BUNDLE", // curl and libcurl users
    "GIT_SSL_CAINFO", // git over https
    "DENO_CERT", // Deno
};

QByteArray withTrailingNewline(QByteArray pem)
{
    if (!pem.isEmpty() && !pem.endsWith('\n'))
        pem.append('\n');
    return pem;
}

QStringList systemBundleCandidates()
{
    return {
        QString::fromLocal8Bit(qgetenv("SSL_CERT_FILE")),
        QStringLiteral("/etc/ssl/certs/ca-certificates.crt"), // Debian, Ubuntu, Arch, Gentoo
        QStringLiteral("/etc/pki/tls/certs/ca-bundle.crt"), // Fedora, RHEL
        QStringLiteral("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"),
        QStringLiteral("/etc/ssl/ca-bundle.pem"), // openSUSE
        QStringLiteral("/etc/ssl/cert.pem"), // Alpine, macOS
        QString::fromLocal8Bit(X509_get_default_cert_file()),
    };
}

} // namespace

QString caBundlePath(const QString &caCertificatePath)
{
    return QFileInfo(caCertificatePath).absolutePath() + QStringLiteral("/bundle.pem");
}

QString systemCaBundlePath()
{
    for (const QString &candidate : systemBundleCandidates()) {
        const QFileInfo info(candidate);
        // Our own bundle in SSL_CERT_FILE (a `portico run` inside another) must not feed itself.
        if (!candidate.isEmpty() && info.isFile() && info.size() > 0
            && info.fileName() != QStringLiteral("bundle.pem"))
            return info.absoluteFilePath();
    }
    return {};
}

Expected<QString> writeCaBundle(const QString &caCertificatePath, const QString &systemBundlePath)
{
    if (systemBundlePath.isEmpty())
        return Error { QStringLiteral("no system certificate bundle to extend"), {},
            QStringLiteral("set SSL_CERT_FILE to the system's PEM bundle") };
    const auto system = readWholeFile(systemBundlePath);
    if (!system)
        return system.error();
    const auto ca = readWholeFile(caCertificatePath);
    if (!ca)
        return ca.error();
    const QByteArray bundle = withTrailingNewline(*system)
        + QByteArrayLiteral("# Portico Local CA\n") + withTrailingNewline(*ca);
    const QString path = caBundlePath(caCertificatePath);
    const auto current = readWholeFile(path);
    if (current && *current == bundle)
        return path;
    const QFileDevice::Permissions readable = QFileDevice::ReadOwner | QFileDevice::WriteOwner
        | QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (auto written = writeFileAtomically(path, bundle, readable, Durability::Cache); !written)
        return written.error();
    return path;
}

std::vector<EnvironmentVariable> caEnvironment(const QString &caCertificatePath)
{
    return caEnvironment(caCertificatePath, systemCaBundlePath());
}

std::vector<EnvironmentVariable> caEnvironment(
    const QString &caCertificatePath, const QString &systemBundlePath)
{
    std::vector<EnvironmentVariable> variables;
    variables.emplace_back(QStringLiteral("NODE_EXTRA_CA_CERTS"), caCertificatePath);
    if (systemBundlePath.isEmpty())
        return variables;
    const auto bundle = writeCaBundle(caCertificatePath, systemBundlePath);
    if (!bundle) {
        qCWarning(lcTls, "cannot write the CA bundle: %s", qPrintable(bundle.error().toString()));
        return variables;
    }
    for (const char *name : bundleVariables)
        variables.emplace_back(QString::fromLatin1(name), *bundle);
    return variables;
}

QStringList caEnvironmentNames()
{
    QStringList names { QStringLiteral("NODE_EXTRA_CA_CERTS") };
    for (const char *name : bundleVariables)
        names.append(QString::fromLatin1(name));
    return names;
}

} // namespace portico::tls
