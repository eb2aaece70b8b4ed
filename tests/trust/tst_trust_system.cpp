#include "core/tls/pem_file.h"
#include "core/tls/trust/java_store.h"
#include "core/tls/trust/system_store.h"
#include "tests/trust/trust_test_util.h"
#include "tests/trust/tst_trust.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include <unistd.h>

using namespace portico;
using namespace portico::tls;
using namespace portico::tls::testing;

namespace {

QString opensslVerify(const QString &caPath, const QString &leaf)
{
    const ToolRun run = runTool(QStringLiteral("openssl"),
        { QStringLiteral("verify"), QStringLiteral("-CApath"), caPath, QStringLiteral("-purpose"),
            QStringLiteral("sslserver"), leaf });
    return run.exitCode == 0 ? QStringLiteral("OK") : run.output.trimmed();
}

// The real machine's store must never change because of a test.
bool realStoreUntouched(const trust::TrustedCa &ca)
{
    const QDir local(QStringLiteral("/usr/local/share/ca-certificates"));
    if (!local.entryList({ QStringLiteral("portico-*") }).isEmpty())
        return false;
    const auto bundle = readWholeFile(QStringLiteral("/etc/ssl/certs/ca-certificates.crt"));
    return !bundle || !trust::certificatesInPem(*bundle).contains(ca.der);
}

} // namespace

void TstTrust::systemStoreInSandbox()
{
    if (trust::findProgram(QStringLiteral("update-ca-certificates")).isEmpty())
        QSKIP("update-ca-certificates is not installed (package ca-certificates)");
    const QString root = freshDir(QStringLiteral("sysroot"));
    for (const char *dir : { "/usr/share/ca-certificates", "/usr/local/share/ca-certificates",
             "/etc/ssl/certs", "/etc/ca-certificates/update.d" })
        QVERIFY(QDir().mkpath(root + QLatin1String(dir)));
    QVERIFY(writeText(root + QStringLiteral("/etc/ca-certificates.conf"), ""));
    const auto ca = makeCa(freshDir(QStringLiteral("sys-ca")));
    const auto otherCa = makeCa(freshDir(QStringLiteral("sys-other-ca")));
    QVERIFY(ca && otherCa);
    // Someone else's local root, which untrust must leave alone.
    QVERIFY(QFile::copy(otherCa->certificatePath(),
        root + QStringLiteral("/usr/local/share/ca-certificates/corp.crt")));
    const trust::TrustedCa trusted = trustedCa(*ca);
    const QString leaf
        = writeLeaf(*ca, QStringLiteral("app.localhost"), freshDir(QStringLiteral("sys-leaf")));
    const QString certs = root + QStringLiteral("/etc/ssl/certs");

    trust::SystemStore store(root);
    QCOMPARE(store.layout().family, QStringLiteral("debian"));
    QVERIFY(store.isAvailable());
    QCOMPARE(store.needsElevation(), geteuid() != 0);
    if (store.needsElevation())
        QSKIP("the sandbox is writable only by root here");
    QCOMPARE(*store.contains(trusted), false);
    QVERIFY(opensslVerify(certs, leaf) != QStringLiteral("OK"));

    auto installed = store.install(trusted);
    VERIFY_EXPECTED(installed);
    QVERIFY(QFileInfo::exists(
        root + QStringLiteral("/usr/local/share/ca-certificates/") + trusted.anchorFileName()));
    QCOMPARE(*store.contains(trusted), true);
    QCOMPARE(opensslVerify(certs, leaf), QStringLiteral("OK"));
    QVERIFY(store.install(trusted)); // idempotent
    QCOMPARE(QDir(root + QStringLiteral("/usr/local/share/ca-certificates"))
                 .entryList(QDir::Files)
                 .size(),
        2);

    const auto removed = store.removeAllPortico();
    VERIFY_EXPECTED(removed);
    QCOMPARE(*removed, 1);
    QCOMPARE(*store.contains(trusted), false);
    QVERIFY(opensslVerify(certs, leaf) != QStringLiteral("OK"));
    QVERIFY(QFileInfo::exists(root + QStringLiteral("/usr/local/share/ca-certificates/corp.crt")));
    QCOMPARE(*store.removeAllPortico(), 0);
    QVERIFY(realStoreUntouched(trusted));
}

void TstTrust::systemStoreThroughBinaryInMountNamespace()
{
    if (geteuid() != 0 || trust::findProgram(QStringLiteral("unshare")).isEmpty()
        || trust::findProgram(QStringLiteral("update-ca-certificates")).isEmpty())
        QSKIP("needs root, unshare and update-ca-certificates");
    // Copies of the real store, mounted over the real paths in a private mount namespace: the
    // binary runs the real update-ca-certificates against real paths, and the machine is untouched.
    const QString sandbox = freshDir(QStringLiteral("ns"));
    QVERIFY(QDir().mkpath(sandbox + QStringLiteral("/local"))
        && QDir().mkpath(sandbox + QStringLiteral("/hooks")));
    QCOMPARE(runTool(QStringLiteral("cp"),
                 { QStringLiteral("-a"), QStringLiteral("/etc/ssl/certs"),
                     sandbox + QStringLiteral("/certs") })
                 .exitCode,
        0);
    QVERIFY(QFile::copy(QStringLiteral("/etc/ca-certificates.conf"),
        sandbox + QStringLiteral("/ca-certificates.conf")));
    const QString script = QStringLiteral(
        "set -e; S=\"$1\"; shift; mount --bind \"$S/local\" /usr/local/share/ca-certificates; "
        "mount --bind \"$S/certs\" /etc/ssl/certs; mount --bind \"$S/hooks\" "
        "/etc/ca-certificates/update.d; "
        "mount --bind \"$S/ca-certificates.conf\" /etc/ca-certificates.conf; exec \"$@\"");
    const auto inSandboxRun = [&](const QStringList &command) {
        return runTool(QStringLiteral("unshare"),
            QStringList { QStringLiteral("--mount"), QStringLiteral("sh"), QStringLiteral("-c"),
                script, QStringLiteral("sh"), sandbox }
                + command);
    };
    const auto inSandbox = [&](const QStringList &arguments) {
        return inSandboxRun(QStringList { QStringLiteral(PORTICO_BINARY) } + arguments);
    };
    // The store's links are absolute (/usr/local/share/ca-certificates/...): verify inside.
    const auto verifyInSandbox = [&](const QString &leaf) {
        return inSandboxRun({ QStringLiteral("openssl"), QStringLiteral("verify"),
                                QStringLiteral("-CApath"), QStringLiteral("/etc/ssl/certs"),
                                QStringLiteral("-purpose"), QStringLiteral("sslserver"), leaf })
            .output.trimmed();
    };
    const ToolRun probe
        = runTool(QStringLiteral("unshare"), { QStringLiteral("--mount"), QStringLiteral("true") });
    if (probe.exitCode != 0)
        QSKIP(qPrintable(QStringLiteral("no mount namespaces here: ") + probe.output));

    ToolRun run = inSandbox(
        { QStringLiteral("trust"), QStringLiteral("--store"), QStringLiteral("system") });
    QVERIFY2(run.exitCode == 0 && run.output.contains(QStringLiteral("installed")),
        qPrintable(run.output));
    const auto ca = makeCa(qEnvironmentVariable("PORTICO_HOME") + QStringLiteral("/ca"));
    QVERIFY(ca);
    const trust::TrustedCa trusted = trustedCa(*ca);
    QVERIFY(QFileInfo::exists(sandbox + QStringLiteral("/local/") + trusted.anchorFileName()));
    const QString leaf
        = writeLeaf(*ca, QStringLiteral("ns.localhost"), freshDir(QStringLiteral("ns-leaf")));
    QCOMPARE(verifyInSandbox(leaf), leaf + QStringLiteral(": OK"));
    QVERIFY(realStoreUntouched(trusted));

    run = inSandbox({ QStringLiteral("trust"), QStringLiteral("--check"), QStringLiteral("--store"),
        QStringLiteral("system") });
    QVERIFY2(run.exitCode == 0 && run.output.contains(QStringLiteral(": trusted")),
        qPrintable(run.output));
    run = inSandbox(
        { QStringLiteral("untrust"), QStringLiteral("--store"), QStringLiteral("system") });
    QVERIFY2(run.exitCode == 0 && run.output.contains(QStringLiteral("removed")),
        qPrintable(run.output));
    run = inSandbox({ QStringLiteral("trust"), QStringLiteral("--check"), QStringLiteral("--store"),
        QStringLiteral("system") });
    QVERIFY2(run.exitCode == 1 && run.output.contains(QStringLiteral("NOT trusted")),
        qPrintable(run.output));
    QVERIFY(verifyInSandbox(leaf).contains(QStringLiteral("unable to get local issuer")));
    QVERIFY(realStoreUntouched(trusted));
}

void TstTrust::javaKeystore()
{
    const QString keytool = trust::findProgram(QStringLiteral("keytool"));
    if (keytool.isEmpty() || !QFileInfo::exists(QStringLiteral("/etc/ssl/certs/java/cacerts")))
        QSKIP("no JDK with a cacerts keystore here");
    // A JDK layout of our own (JAVA_HOME), with a copy of the real keystore.
    const QString javaHome = freshDir(QStringLiteral("jdk"));
    QVERIFY(QDir().mkpath(javaHome + QStringLiteral("/lib/security"))
        && QDir().mkpath(javaHome + QStringLiteral("/bin")));
    QVERIFY(QFile::copy(QStringLiteral("/etc/ssl/certs/java/cacerts"),
        javaHome + QStringLiteral("/lib/security/cacerts")));
    QFile::setPermissions(javaHome + QStringLiteral("/lib/security/cacerts"),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QVERIFY(QFile::link(
        QFileInfo(keytool).canonicalFilePath(), javaHome + QStringLiteral("/bin/keytool")));

    auto store = trust::JavaStore::find(javaHome);
    QVERIFY(store);
    QVERIFY(store->isAvailable());
    QVERIFY(store->description().startsWith(javaHome));
    QVERIFY(!store->needsElevation());
    auto ca = makeCa(freshDir(QStringLiteral("java-ca")));
    QVERIFY(ca);
    const trust::TrustedCa first = trustedCa(*ca);
    const int before = int(store->entries()->size());
    QVERIFY(before > 0);
    QCOMPARE(*store->contains(first), false);
    auto installed = store->install(first);
    VERIFY_EXPECTED(installed);
    QCOMPARE(*store->contains(first), true);
    QVERIFY(store->install(first)); // idempotent
    QCOMPARE(int(store->entries()->size()), before + 1);
    const ToolRun listed = runTool(keytool,
        { QStringLiteral("-list"), QStringLiteral("-keystore"),
            javaHome + QStringLiteral("/lib/security/cacerts"), QStringLiteral("-storepass"),
            QStringLiteral("changeit"), QStringLiteral("-alias"), first.javaAlias() });
    QVERIFY2(listed.exitCode == 0 && listed.output.contains(QStringLiteral("trustedCertEntry")),
        qPrintable(listed.output));

    QVERIFY(ca->rotate());
    const trust::TrustedCa second = trustedCa(*ca);
    QVERIFY(store->install(second));
    QVERIFY(store->remove(first));
    QCOMPARE(*store->contains(first), false);
    QCOMPARE(*store->contains(second), true);
    QVERIFY(store->install(first)); // an old root left behind
    QCOMPARE(*store->removeAllPortico(), 2);
    QCOMPARE(int(store->entries()->size()), before);
}
