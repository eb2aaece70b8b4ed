#pragma once

#include <QObject>
#include <QTemporaryDir>

/// tst_trust: every trust store with the real tools (certutil, update-ca-certificates in a
/// sandbox, keytool), the `portico trust`/`untrust`/`ca` commands through the real binary, and
/// the CA environment used by real clients (curl, Python, Node).
class TstTrust : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // parsing (tst_trust.cpp)
    void parseCertutilList_data();
    void parseCertutilList();
    void parseKeytoolList();
    void firefoxProfiles_data();
    void firefoxProfiles();
    void caBundle();

    // NSS (tst_trust_nss.cpp)
    void nssStoresLifecycle();
    void nssRotationReplacesOldRoot();

    // system store and Java (tst_trust_system.cpp)
    void systemStoreInSandbox();
    void systemStoreThroughBinaryInMountNamespace();
    void javaKeystore();

    // commands and environment (tst_trust_cli.cpp)
    void cliTrustCheckUntrust();
    void cliCaShowRotate();
    void cliExtraSuffixesTakeARotation();
    void cliElevationWhenNotRoot_data();
    void cliElevationWhenNotRoot();
    void caEnvTrustedByClients_data();
    void caEnvTrustedByClients();

private:
    QString freshDir(const QString &name) const;

    QTemporaryDir m_scratch;
};
