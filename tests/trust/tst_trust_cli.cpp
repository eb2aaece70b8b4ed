#include "core/tls/trust/trust_stores.h"
#include "tests/app/portico_process.h"
#include "tests/trust/trust_test_util.h"
#include "tests/trust/tst_trust.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace portico;
using namespace portico::tls;
using namespace portico::tls::testing;
using portico::testkit::PorticoProcess;

namespace {

// A user of its own: empty PORTICO_HOME, a home with Chromium's nssdb and one Firefox profile.
QStringList useFreshUser(const QString &root)
{
    qputenv("PORTICO_HOME", QFile::encodeName(root + QStringLiteral("/portico")));
    qputenv("HOME", QFile::encodeName(root + QStringLiteral("/home")));
    const QStringList databases { root + QStringLiteral("/home/.pki/nssdb"),
        root + QStringLiteral("/home/.mozilla/firefox/p1.default-release") };
    for (const QString &dir : databases)
        createNssDatabase(dir);
    return databases;
}

QStringList args(std::initializer_list<const char *> items)
{
    return strings(items);
}

// `export NAME='value'` lines of `portico ca env` as an environment of their own.
QList<QPair<QString, QString>> parseExports(const QString &output)
{
    static const QRegularExpression line(
        QStringLiteral("^export ([A-Z_]+)='([^']*)'$"), QRegularExpression::MultilineOption);
    QList<QPair<QString, QString>> variables;
    auto it = line.globalMatch(output);
    while (it.hasNext()) {
        const auto match = it.next();
        variables.append({ match.captured(1), match.captured(2) });
    }
    return variables;
}

/// `openssl s_server -www` on an ephemeral loopback port with a leaf of the CA.
class TlsServer
{
public:
    quint16 start(const QString &certificate, const QString &key)
    {
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral("openssl"),
            { QStringLiteral("s_server"), QStringLiteral("-accept"), QStringLiteral("127.0.0.1:0"),
                QStringLiteral("-cert"), certificate, QStringLiteral("-key"), key,
                QStringLiteral("-www") });
        static const QRegularExpression accept(QStringLiteral("ACCEPT [^ ]*:(\\d+)"));
        QDeadlineTimer deadline(10000);
        QByteArray output;
        while (!deadline.hasExpired() && m_process.state() != QProcess::NotRunning) {
            m_process.waitForReadyRead(100);
            output += m_process.readAll();
            if (const auto match = accept.match(QString::fromUtf8(output)); match.hasMatch())
                return quint16(match.captured(1).toUInt());
        }
        return 0;
    }
    ~TlsServer()
    {
        m_process.kill();
        m_process.waitForFinished();
    }

private:
    QProcess m_process;
};

} // namespace

void TstTrust::cliTrustCheckUntrust()
{
    const QStringList databases = useFreshUser(freshDir(QStringLiteral("cli")));
    auto run = PorticoProcess::run(args({ "trust", "--check", "--store", "nss,firefox" }));
    QVERIFY2(run.first == 2 && run.second.contains(QStringLiteral("no local CA")),
        qPrintable(run.second));

    run = PorticoProcess::run(args({ "trust", "--store", "nss,firefox" }));
    QVERIFY2(run.first == 0 && run.second.count(QStringLiteral(": installed")) == 2,
        qPrintable(run.second));
    QVERIFY(run.second.contains(QStringLiteral("Firefox profile \"p1.default-release\"")));
    run = PorticoProcess::run(args({ "trust", "--check", "--store", "nss,firefox" }));
    QVERIFY2(run.first == 0 && run.second.count(QStringLiteral(": trusted")) == 2,
        qPrintable(run.second));
    run = PorticoProcess::run(args({ "trust", "--store=nss,firefox" })); // idempotent
    QVERIFY2(run.first == 0 && run.second.count(QStringLiteral(": trusted")) == 2
            && !run.second.contains(QStringLiteral("installed")),
        qPrintable(run.second));
    for (const QString &dir : databases)
        QCOMPARE(nssNicknames(dir).size(), 1);

    // Without --store every store is checked (read-only): this machine's system store and the
    // JDK's keystore do not hold a CA made a moment ago, so the exit code is 1.
    run = PorticoProcess::run(args({ "trust", "--check" }), 60000);
    QVERIFY2(run.first == 1 && run.second.contains(QStringLiteral("system store")),
        qPrintable(run.second));
    QVERIFY2(run.second.contains(QStringLiteral("NOT trusted")), qPrintable(run.second));

    run = PorticoProcess::run(args({ "untrust", "--store", "nss,firefox" }));
    QVERIFY2(run.first == 0 && run.second.count(QStringLiteral(": removed")) == 2,
        qPrintable(run.second));
    for (const QString &dir : databases)
        QCOMPARE(nssNicknames(dir), QStringList());
    run = PorticoProcess::run(args({ "trust", "--check", "--store", "nss,firefox" }));
    QVERIFY2(run.first == 1 && run.second.count(QStringLiteral("NOT trusted")) == 2,
        qPrintable(run.second));

    run = PorticoProcess::run(args({ "trust", "--store", "keychain" }));
    QVERIFY2(run.first == 2 && run.second.contains(QStringLiteral("unknown store \"keychain\"")),
        qPrintable(run.second));
    run = PorticoProcess::run(args({ "untrust", "--check" }));
    QVERIFY2(run.first == 2 && run.second.contains(QStringLiteral("unknown argument")),
        qPrintable(run.second));
}

void TstTrust::cliCaShowRotate()
{
    const QString root = freshDir(QStringLiteral("cli-ca"));
    const QStringList databases = useFreshUser(root);
    auto run = PorticoProcess::run(args({ "ca", "show" }));
    QCOMPARE(run.first, 0);
    const auto ca = makeCa(root + QStringLiteral("/portico/ca")); // loads what `ca show` created
    QVERIFY(ca);
    const QString before = ca->sha256Fingerprint();
    for (const QString &expected : { QStringLiteral("sha-256:     ") + before,
             QStringLiteral("path:        ") + ca->certificatePath(),
             QStringLiteral("Portico Local CA"),
             QStringLiteral("permits:     localhost, *.localhost"),
             QStringLiteral("expires:     20") })
        QVERIFY2(run.second.contains(expected), qPrintable(run.second));

    QCOMPARE(PorticoProcess::run(args({ "trust", "--store", "nss" })).first, 0); // Chromium's only
    run = PorticoProcess::run(args({ "ca", "rotate", "--no-elevate" }), 60000);
    QVERIFY2(run.first == 0 && run.second.contains(QStringLiteral("rotated: ") + before),
        qPrintable(run.second));
    const auto rotated = makeCa(root + QStringLiteral("/portico/ca"));
    QVERIFY(rotated && rotated->sha256Fingerprint() != before);
    const trust::TrustedCa current = trustedCa(*rotated);
    QCOMPARE(nssNicknames(databases[0]), QStringList { current.nickname() });
    QCOMPARE(nssNicknames(databases[1]), QStringList()); // Firefox never trusted the old root

    run = PorticoProcess::run(args({ "ca", "env", "--shell", "fish" }));
    QVERIFY2(
        run.second.contains(
            QStringLiteral("set -gx NODE_EXTRA_CA_CERTS '%1';").arg(rotated->certificatePath())),
        qPrintable(run.second));
    run = PorticoProcess::run(args({ "ca", "env", "--shell=powershell" }));
    QVERIFY2(run.second.contains(
                 QStringLiteral("$env:SSL_CERT_FILE = '%1/bundle.pem'").arg(rotated->directory())),
        qPrintable(run.second));
    run = PorticoProcess::run(args({ "ca", "env", "--shell", "tcsh" }));
    QCOMPARE(run.first, 2);
    run = PorticoProcess::run(args({ "ca", "frobnicate" }));
    QCOMPARE(run.first, 2);
}

void TstTrust::cliExtraSuffixesTakeARotation()
{
    const QString root = freshDir(QStringLiteral("cli-suffixes"));
    useFreshUser(root);
    const QString config = root + QStringLiteral("/portico.yml");
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("portico:\n  tls:\n    extraSuffixes: [internal]\n");
    file.close();

    // The CA made before the suffix was configured does not permit it: show says so.
    QCOMPARE(PorticoProcess::run(args({ "ca", "show" })).first, 0);
    const QStringList withConfig { QStringLiteral("--config"), config };
    auto run = PorticoProcess::run(
        QStringList { QStringLiteral("ca"), QStringLiteral("show") } + withConfig);
    QVERIFY2(run.first == 0 && run.second.contains(QStringLiteral("not covered: internal")),
        qPrintable(run.second));

    run = PorticoProcess::run(QStringList { QStringLiteral("ca"), QStringLiteral("rotate"),
                                  QStringLiteral("--no-elevate") }
            + withConfig,
        60000);
    QVERIFY2(run.first == 0, qPrintable(run.second));
    run = PorticoProcess::run(
        QStringList { QStringLiteral("ca"), QStringLiteral("show") } + withConfig);
    QVERIFY2(run.first == 0 && !run.second.contains(QStringLiteral("not covered"))
            && run.second.contains(QStringLiteral("*.internal")),
        qPrintable(run.second));

    // A configuration error names the file and the key.
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("portico:\n  tls:\n    extraSufixes: [internal]\n");
    file.close();
    run = PorticoProcess::run(
        QStringList { QStringLiteral("ca"), QStringLiteral("show") } + withConfig);
    QVERIFY2(run.first == 2 && run.second.contains(config + QStringLiteral(":3"))
            && run.second.contains(QStringLiteral("extraSuffixes")),
        qPrintable(run.second));
}

void TstTrust::cliElevationWhenNotRoot_data()
{
    QTest::addColumn<QString>("elevate"); // PORTICO_ELEVATE, empty = unset
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("expected"); // lines the output must contain
    QTest::newRow("--no-elevate prints the commands and skips")
        << QString() << args({ "--no-elevate" }) << 1
        << args({ "is not writable by this user", "Run these commands as root",
               "    install -D -m 0644 ", "/usr/sbin/update-ca-certificates",
               ": skipped (needs elevation)" });
    // `echo` stands in for sudo: the message names the prefix and every command goes through it.
    QTest::newRow("elevation helper runs each command")
        << QStringLiteral("echo") << QStringList() << 0
        << args({ "Portico will run, as root:", "    echo install -D -m 0644 ",
               "    echo /usr/sbin/update-ca-certificates", ": installed" });
}

void TstTrust::cliElevationWhenNotRoot()
{
    QFETCH(QString, elevate);
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QStringList, expected);
    if (geteuid() != 0 || trust::findProgram(QStringLiteral("setpriv")).isEmpty()
        || trust::findProgram(QStringLiteral("update-ca-certificates")).isEmpty())
        QSKIP("needs root (to drop to nobody), setpriv and update-ca-certificates");
    QTemporaryDir open; // nobody must reach its home, so not under the 0700 scratch directory
    QVERIFY(QFile::setPermissions(open.path(),
        QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther
            | QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), open.path());
    environment.insert(QStringLiteral("PORTICO_HOME"), open.filePath(QStringLiteral("portico")));
    environment.remove(QStringLiteral("PORTICO_ELEVATE"));
    if (!elevate.isEmpty())
        environment.insert(QStringLiteral("PORTICO_ELEVATE"), elevate);
    const ToolRun run = runTool(QStringLiteral("setpriv"),
        QStringList { QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
            QStringLiteral("--clear-groups"), QStringLiteral(PORTICO_BINARY),
            QStringLiteral("trust"), QStringLiteral("--store"), QStringLiteral("system") }
            + arguments,
        environment);
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.output));
    for (const QString &line : expected)
        QVERIFY2(
            run.output.contains(line), qPrintable(line + QStringLiteral("\n---\n") + run.output));
    QVERIFY(QDir(QStringLiteral("/usr/local/share/ca-certificates"))
                .entryList({ QStringLiteral("portico-*") })
                .isEmpty());
}

void TstTrust::caEnvTrustedByClients_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QStringList>("arguments"); // %PORT% is replaced
    QTest::newRow("curl (CURL_CA_BUNDLE)")
        << QStringLiteral("curl")
        << args({ "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--resolve",
               "localhost:%PORT%:127.0.0.1", "https://localhost:%PORT%/" });
    QTest::newRow("python urllib (SSL_CERT_FILE)")
        << QStringLiteral("/usr/bin/python3")
        << args({ "-c",
               "import urllib.request; "
               "print(urllib.request.urlopen('https://localhost:%PORT%/').status)" });
    QTest::newRow("node https (NODE_EXTRA_CA_CERTS)")
        << QStringLiteral("node")
        << args({ "-e",
               "require('https').get({host:'127.0.0.1',servername:'localhost',port:%PORT%,path:'/"
               "'},"
               "r=>{console.log(r.statusCode);r.resume()}).on('error',e=>{console.log(e.code);"
               "process.exit(1)})" });
}

void TstTrust::caEnvTrustedByClients()
{
    QFETCH(QString, program);
    QFETCH(QStringList, arguments);
    if (trust::findProgram(program).isEmpty() && !QFileInfo::exists(program))
        QSKIP(qPrintable(program + QStringLiteral(" is not installed")));
    const QString root = freshDir(QStringLiteral("env"));
    useFreshUser(root);
    const auto run = PorticoProcess::run(args({ "ca", "env" }));
    QCOMPARE(run.first, 0);
    const auto variables = parseExports(run.second);
    QCOMPARE(variables.size(), 6);
    const auto ca = makeCa(root + QStringLiteral("/portico/ca"));
    QVERIFY(ca);
    const QString leaf
        = writeLeaf(*ca, QStringLiteral("localhost"), freshDir(QStringLiteral("env-leaf")));
    TlsServer server;
    const quint16 port
        = server.start(leaf, QString(leaf).replace(QStringLiteral(".crt"), QStringLiteral(".key")));
    QVERIFY(port != 0);
    arguments.replaceInStrings(QStringLiteral("%PORT%"), QString::number(port));

    // Only PATH and HOME from outside, so nothing else can make the client trust the CA.
    QProcessEnvironment bare;
    bare.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    bare.insert(QStringLiteral("HOME"), root);
    const ToolRun without = runTool(program, arguments, bare);
    QVERIFY2(!without.output.contains(QStringLiteral("200")), qPrintable(without.output));
    QProcessEnvironment withCa = bare;
    for (const auto &[name, value] : variables)
        withCa.insert(name, value);
    const ToolRun with = runTool(program, arguments, withCa);
    QVERIFY2(with.exitCode == 0 && with.output.trimmed() == QStringLiteral("200"),
        qPrintable(with.output));
}
