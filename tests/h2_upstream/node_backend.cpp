#include "tests/h2_upstream/node_backend.h"

#include "tests/testkit/testkit.h"
#include "tests/testkit/wait.h"

namespace portico::testkit {

NodeBackend::NodeBackend(const QString &mode, const QString &cert, const QString &key, quint16 port,
    const QStringList &extra)
{
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(QStringLiteral("node"),
        QStringList { sourcePath(QStringLiteral("tests/h2_upstream/tls_backend.js")),
            QStringLiteral("--cert"), cert, QStringLiteral("--key"), key, QStringLiteral("--mode"),
            mode, QStringLiteral("--port"), QString::number(port) }
            + extra);
    QByteArray banner;
    const bool started = m_process.waitForStarted(5000)
        && waitUntil(
            [&] {
                banner += m_process.readAllStandardOutput();
                return banner.contains('\n') || m_process.state() == QProcess::NotRunning;
            },
            20000);
    if (started && banner.startsWith("PORT "))
        m_port = quint16(banner.mid(5).trimmed().toUInt());
}

NodeBackend::~NodeBackend()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

QByteArray answerField(const QByteArray &line, const QByteArray &key)
{
    for (const QByteArray &part : line.trimmed().split(' ')) {
        if (part.startsWith(key + '='))
            return part.mid(key.size() + 1);
    }
    return {};
}

} // namespace portico::testkit
