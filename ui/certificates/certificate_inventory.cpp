#include "ui/certificates/certificate_inventory.h"

#include "core/tls/certificate_builder.h"
#include "core/tls/leaf_certificate.h"
#include "core/tls/local_ca.h"
#include "core/tls/trust/trusted_ca.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <openssl/x509.h>

namespace portico::ui {

namespace {

using namespace tls::trust;

QString caPath(const QString &caDir)
{
    return caDir + QStringLiteral("/ca.pem");
}

/// The CA when it exists; never creates one (the core does on its first start).
Expected<tls::LocalCa> existingCa(const QString &caDir, const QStringList &extraSuffixes = {})
{
    if (!QFileInfo::exists(caPath(caDir)))
        return Error { QStringLiteral("no local CA in \"%1\" yet").arg(caDir), {},
            QStringLiteral("it is created when Portico first serves HTTPS") };
    tls::CaOptions options;
    options.extraSuffixes = extraSuffixes;
    return tls::LocalCa::loadOrCreate(caDir, options);
}

CaSummary summarize(const tls::LocalCa &ca)
{
    CaSummary out;
    out.exists = true;
    out.path = ca.certificatePath();
    out.sha256 = ca.sha256Fingerprint();
    out.notBefore = tls::toDateTime(X509_get0_notBefore(ca.certificate()));
    out.notAfter = ca.notAfter();
    out.permits = ca.policy().describe();
    out.missingSuffixes = ca.missingSuffixes();
    if (const auto trusted = TrustedCa::fromFile(ca.certificatePath()))
        out.subject = trusted->subject;
    return out;
}

QList<LeafSummary> readLeaves(const tls::LocalCa &ca)
{
    QList<LeafSummary> leaves;
    const QDir dir(ca.directory() + QStringLiteral("/leaves"));
    for (const QFileInfo &file : dir.entryInfoList({ QStringLiteral("*.pem") }, QDir::Files)) {
        QFile in(file.filePath());
        if (!in.open(QIODevice::ReadOnly))
            continue;
        const auto leaf = tls::leafFromPem(in.readAll(), file.filePath(), ca);
        if (leaf) // the issuer deletes files of another CA on its next start
            leaves << LeafSummary { leaf->name.text, leaf->notBefore, leaf->notAfter,
                file.filePath() };
    }
    std::sort(leaves.begin(), leaves.end(),
        [](const LeafSummary &a, const LeafSummary &b) { return a.name < b.name; });
    return leaves;
}

/// guiElevator(), remembering the commands of stores it had to skip so results can say what to
/// run by hand.
Elevator recordingElevator(QStringList *skipped)
{
    return
        [skipped, inner = guiElevator()](const TrustStore &store, const QList<Command> &commands) {
            auto prefix = inner(store, commands);
            if (!prefix) {
                for (const Command &command : commands)
                    *skipped << QStringLiteral("sudo ") + command.display();
            }
            return prefix;
        };
}

void explainSkipped(QList<StoreResult> &results, const QStringList &commands)
{
    for (StoreResult &result : results) {
        if (result.outcome == StoreOutcome::Skipped && !commands.isEmpty())
            result.detail
                = QObject::tr("needs administrator rights and no pkexec was found; run: %1")
                      .arg(commands.join(QStringLiteral(" && ")));
    }
}

} // namespace

Elevator guiElevator()
{
    return [](const TrustStore &, const QList<Command> &) -> std::optional<QStringList> {
        const QString configured = qEnvironmentVariable("PORTICO_ELEVATE");
        if (!configured.isEmpty())
            return configured.split(u' ', Qt::SkipEmptyParts);
        const QString pkexec = findProgram(QStringLiteral("pkexec"));
        if (pkexec.isEmpty())
            return std::nullopt;
        return QStringList { pkexec };
    };
}

CertificateInventory readInventory(const QString &caDir, const StoreEnvironment &environment)
{
    CertificateInventory out;
    const auto ca = existingCa(caDir);
    if (!ca) {
        out.ca.path = caPath(caDir);
        out.ca.error = ca.error().toString();
        return out;
    }
    out.ca = summarize(*ca);
    out.leaves = readLeaves(*ca);
    const auto trusted = TrustedCa::fromFile(ca->certificatePath());
    if (!trusted) {
        out.ca.error = trusted.error().toString();
        return out;
    }
    out.stores = checkAll(discoverTrustStores(environment), *trusted);
    return out;
}

QList<StoreResult> trustStore(const QString &caDir, const StoreEnvironment &environment,
    const QString &kind, const QString &name)
{
    // The core created the CA at start; if not, this is what `portico trust` would do first.
    const auto ca = tls::LocalCa::loadOrCreate(caDir, {});
    if (!ca)
        return { StoreResult { kind, name, {}, StoreOutcome::Failed, ca.error().toString(), 0 } };
    const auto trusted = TrustedCa::fromFile(ca->certificatePath());
    if (!trusted)
        return { StoreResult {
            kind, name, {}, StoreOutcome::Failed, trusted.error().toString(), 0 } };
    TrustStoreList stores = selectStores(discoverTrustStores(environment), { kind });
    stores.erase(std::remove_if(stores.begin(), stores.end(),
                     [&](const auto &store) { return store->name() != name; }),
        stores.end());
    QStringList skipped;
    QList<StoreResult> results = trustAll(stores, *trusted, recordingElevator(&skipped));
    explainSkipped(results, skipped);
    return results;
}

Expected<QList<StoreResult>> rotateCa(
    const QString &caDir, const StoreEnvironment &environment, const QStringList &extraSuffixes)
{
    auto ca = existingCa(caDir, extraSuffixes);
    if (!ca)
        return ca.error();
    const auto oldCa = TrustedCa::fromFile(ca->certificatePath());
    if (!oldCa)
        return oldCa.error();
    if (auto rotated = ca->rotate(); !rotated)
        return rotated.error();
    const auto newCa = TrustedCa::fromFile(ca->certificatePath());
    if (!newCa)
        return newCa.error();
    QStringList skipped;
    QList<StoreResult> results = replaceEverywhere(
        discoverTrustStores(environment), *oldCa, *newCa, recordingElevator(&skipped));
    explainSkipped(results, skipped);
    return results;
}

} // namespace portico::ui
