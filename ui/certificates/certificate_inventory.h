#pragma once

#include "core/tls/trust/trust_operations.h"
#include "core/tls/trust/trust_stores.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace portico::ui {

/// The local CA as the Certificates page shows it.
struct CaSummary
{
    bool exists = false; ///< `ca.pem` is there (the core creates it on its first start)
    QString path;
    QString subject;
    QString sha256;
    QDateTime notBefore;
    QDateTime notAfter;
    QString permits; ///< the name constraints, `localhost, test, 127.0.0.0/8, ::1`
    QStringList missingSuffixes; ///< configured suffixes the root does not cover
    QString error; ///< why it could not be read; empty when it could
};

/// One issued leaf certificate on disk.
struct LeafSummary
{
    QString name;
    QDateTime notBefore;
    QDateTime notAfter;
    QString path;
};

/// Everything the Certificates page shows, read in one go on a worker thread.
struct CertificateInventory
{
    CaSummary ca;
    QList<LeafSummary> leaves; ///< ordered by name
    QList<tls::trust::StoreResult> stores; ///< checkAll(): one per store, available or not
};

/// Reads the CA in `caDir` (never creates one), its issued leaves (`leaves/*.pem`) and whether
/// each trust store of `environment` holds it. Slow (runs certutil, keytool): call it off the
/// UI thread.
CertificateInventory readInventory(
    const QString &caDir, const tls::trust::StoreEnvironment &environment);

/// What `portico trust --store KIND` does, limited to the one store called `name`: installs the
/// CA there, elevating through guiElevator() when the store needs it. Slow; off the UI thread.
QList<tls::trust::StoreResult> trustStore(const QString &caDir,
    const tls::trust::StoreEnvironment &environment, const QString &kind, const QString &name);

/// What `portico ca rotate` does: a new root, installed wherever the old one was trusted (and the
/// old one removed there). Returns the stores' results, or the error. Slow; off the UI thread.
/// `extraSuffixes` (`tls.extraSuffixes`) go into the new root's name constraints.
Expected<QList<tls::trust::StoreResult>> rotateCa(const QString &caDir,
    const tls::trust::StoreEnvironment &environment, const QStringList &extraSuffixes = {});

/// The GUI's elevation: `$PORTICO_ELEVATE` when set, else pkexec (a graphical password prompt);
/// never sudo, which would wait for a password on a terminal nobody watches. Without either the
/// store is skipped and its result says what to run by hand.
tls::trust::Elevator guiElevator();

} // namespace portico::ui
