#pragma once

#include "core/tls/trust/trust_store.h"

namespace portico::tls::trust {

/// A Java `cacerts` keystore changed with `keytool`; Portico's CA is the trusted entry
/// `portico-local-ca-<tag>`.
class JavaStore : public TrustStore
{
public:
    /// `cacerts` path and `keytool` program; `password` is the JDK default unless changed.
    JavaStore(QString cacerts, QString keytool, QString password = QStringLiteral("changeit"));

    /// The JDK in `javaHome` (JAVA_HOME) or else the one whose `java` is on PATH; nullptr when
    /// neither has a cacerts file.
    static std::unique_ptr<JavaStore> find(const QString &javaHome);

    QString kind() const override { return QStringLiteral("java"); }
    QString name() const override { return QStringLiteral("Java keystore"); }
    QString description() const override;
    bool isAvailable() const override;
    QString unavailableReason() const override;
    bool needsElevation() const override;

    Expected<bool> contains(const TrustedCa &ca) const override;
    Expected<void> install(const TrustedCa &ca) override;
    Expected<void> remove(const TrustedCa &ca) override;
    Expected<int> removeAllPortico() override;
    QList<Command> plannedInstall(const TrustedCa &ca) const override;
    QList<Command> plannedRemoval() const override;

    /// alias → SHA-256 (upper hex, no colons) of every entry (`keytool -list`).
    Expected<QList<QPair<QString, QString>>> entries() const;

private:
    Command keytool(QStringList arguments) const;
    Expected<void> deleteAlias(const QString &alias);

    QString m_cacerts;
    QString m_keytool;
    QString m_password;
};

/// Parses `keytool -list` output into (alias, SHA-256 without colons) pairs.
QList<QPair<QString, QString>> parseKeytoolList(const QByteArray &output);

} // namespace portico::tls::trust
