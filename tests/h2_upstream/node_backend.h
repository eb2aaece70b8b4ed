#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace portico::testkit {

/// A Node TLS backend (tests/h2_upstream/tls_backend.js) in one ALPN mode (`h2`, `http1`,
/// `noalpn`); `extra` arguments such as `--ca FILE` (require a client certificate) follow.
/// port() is 0 when it did not start.
class NodeBackend
{
public:
    NodeBackend(const QString &mode, const QString &cert, const QString &key, quint16 port = 0,
        const QStringList &extra = {});
    ~NodeBackend();
    NodeBackend(const NodeBackend &) = delete;
    NodeBackend &operator=(const NodeBackend &) = delete;

    quint16 port() const { return m_port; }
    QString url(const QString &host = QStringLiteral("localhost")) const
    {
        return QStringLiteral("https://%1:%2").arg(host).arg(m_port);
    }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

/// One `key=value` of the backend's answer line (empty when absent).
QByteArray answerField(const QByteArray &line, const QByteArray &key);

} // namespace portico::testkit
