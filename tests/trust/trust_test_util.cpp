#include "tests/trust/trust_test_util.h"

#include "core/tls/leaf_certificate.h"
#include "core/tls/pem_file.h"
#include "core/tls/trust/nss_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

namespace portico::tls::testing {

ToolRun runTool(const QString &program, const QStringList &arguments,
    const std::optional<QProcessEnvironment> &environment)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setStandardInputFile(QProcess::nullDevice());
    if (environment)
        process.setProcessEnvironment(*environment);
    process.start(program, arguments);
    if (!process.waitForStarted(10000) || !process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return { -1, QString::fromUtf8(process.readAll()) };
    }
    const int code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return { code, QString::fromUtf8(process.readAll()) };
}

QStringList strings(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list.append(QString::fromUtf8(item));
    return list;
}

std::optional<LocalCa> makeCa(const QString &directory)
{
    auto ca = LocalCa::loadOrCreate(directory, {});
    if (!ca) {
        qWarning("cannot create the CA: %s", qPrintable(ca.error().toString()));
        return std::nullopt;
    }
    return *ca;
}

trust::TrustedCa trustedCa(const LocalCa &ca)
{
    auto trusted = trust::TrustedCa::fromFile(ca.certificatePath());
    if (!trusted)
        qFatal("cannot read the CA: %s", qPrintable(trusted.error().toString()));
    return *trusted;
}

QString writeLeaf(const LocalCa &ca, const QString &name, const QString &directory)
{
    const auto devName = parseDevName(name);
    if (!devName)
        return {};
    auto leaf = issueLeaf(ca, *devName, QDateTime::currentDateTimeUtc(), 24 * 3600);
    if (!leaf)
        return {};
    const auto certificate = certificateToPem(leaf->certificate.get());
    const auto key = privateKeyToPem(leaf->key.get());
    const QString base = directory + QLatin1Char('/') + name;
    if (!certificate || !key || !writeText(base + QStringLiteral(".crt"), *certificate)
        || !writeText(base + QStringLiteral(".key"), *key))
        return {};
    return base + QStringLiteral(".crt");
}

bool createNssDatabase(const QString &directory)
{
    QDir().mkpath(directory);
    return runTool(QStringLiteral("certutil"),
               { QStringLiteral("-N"), QStringLiteral("-d"), QStringLiteral("sql:") + directory,
                   QStringLiteral("--empty-password") })
               .exitCode
        == 0;
}

QStringList nssNicknames(const QString &directory)
{
    const ToolRun run = runTool(QStringLiteral("certutil"),
        { QStringLiteral("-L"), QStringLiteral("-d"), QStringLiteral("sql:") + directory });
    return trust::parseCertutilList(run.output.toUtf8());
}

bool writeText(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace portico::tls::testing
