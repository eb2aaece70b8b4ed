#pragma once

#include "core/tls/local_ca.h"

#include <QObject>
#include <QTemporaryDir>

#include <optional>

/// core/tls with real OpenSSL: the CA (tst_tls.cpp) and leaves (tst_tls_leaf.cpp).
class tst_Tls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    // names and policy
    void devNameParsing_data();
    void devNameParsing();
    void policyMatching_data();
    void policyMatching();

    // the CA
    void caExtensions_data();
    void caExtensions();
    void caNameConstraintsContent();
    void caKeySubjectAndValidity();
    void caFilesArePrivate();
    void caReloadGivesSameCertificate();
    void caLoadFailures_data();
    void caLoadFailures();
    void caReportsMissingSuffixes();
    void caRotation();

    // leaves
    void leafVerifies_data();
    void leafVerifies();
    void leafExtensions_data();
    void leafExtensions();
    void refusedNames_data();
    void refusedNames();
    void forgedLeafAgainstNameConstraints_data();
    void forgedLeafAgainstNameConstraints();
    void leafValidity_data();
    void leafValidity();
    void leafCachedInMemoryAndOnDisk();
    void leafReloadedFromDisk();
    void renewal_data();
    void renewal();
    void renewDue();
    void rotationDropsLeaves();
    void snapshotIsImmutable();
    void snapshotReadFromOtherThreads();
    void serverContextHandshake_data();
    void serverContextHandshake();
    void issuanceTiming();

    // a real browser (tst_tls_browser.cpp)
    void chromiumHonoursNameConstraints_data();
    void chromiumHonoursNameConstraints();

private:
    QString freshDir(const QString &name) const;

    QTemporaryDir m_tmp;
    std::optional<portico::tls::LocalCa> m_ca; ///< shared read-only CA, extra suffix "internal"
};
