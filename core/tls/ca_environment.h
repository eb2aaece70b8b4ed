#pragma once

#include "core/common/expected.h"

#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

namespace portico::tls {

/// One environment variable: name and value.
using EnvironmentVariable = std::pair<QString, QString>;

/// `<directory of caCertificatePath>/bundle.pem`: the system bundle followed by Portico's CA.
QString caBundlePath(const QString &caCertificatePath);

/// The system's PEM bundle of trusted roots ($SSL_CERT_FILE when set, else the distribution's
/// file, e.g. /etc/ssl/certs/ca-certificates.crt); empty when there is none (Windows, macOS).
QString systemCaBundlePath();

/// Writes caBundlePath() as `systemBundlePath` + the CA, only when its content would change;
/// returns the bundle path. An empty `systemBundlePath` is an error: a bundle with only our CA
/// would make SSL_CERT_FILE users distrust every real site.
Expected<QString> writeCaBundle(const QString &caCertificatePath, const QString &systemBundlePath);

/// The variables that make child processes trust Portico's CA: NODE_EXTRA_CA_CERTS (additive,
/// the CA alone) and, when a system bundle exists, SSL_CERT_FILE, REQUESTS_CA_BUNDLE,
/// CURL_CA_BUNDLE, GIT_SSL_CAINFO and DENO_CERT pointing at the refreshed bundle (these replace
/// the default store, hence the bundle). Refreshes the bundle; never fails (warns instead).
std::vector<EnvironmentVariable> caEnvironment(const QString &caCertificatePath);

/// caEnvironment() with an explicit system bundle (tests; empty = no bundle variables).
std::vector<EnvironmentVariable> caEnvironment(
    const QString &caCertificatePath, const QString &systemBundlePath);

/// The names caEnvironment() may set, so a caller can clear stale ones first.
QStringList caEnvironmentNames();

} // namespace portico::tls
