#include "tests/app/portico_process.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

namespace portico::testkit {

PorticoProcess::~PorticoProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

void PorticoProcess::start(const QStringList &arguments)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(QStringLiteral(PORTICO_BINARY), arguments);
    m_process.waitForStarted(5000);
}

QString PorticoProcess::output()
{
    m_output += QString::fromUtf8(m_process.readAll());
    return m_output;
}

quint16 PorticoProcess::waitListening(const QString &entryPoint, int timeoutMs)
{
    const QRegularExpression banner(
        QStringLiteral("entry point \"%1\" listening on https?://[^ ]*:(\\d+)")
            .arg(QRegularExpression::escape(entryPoint)));
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const auto match = banner.match(output());
        if (match.hasMatch())
            return quint16(match.captured(1).toUInt());
        if (m_process.state() == QProcess::NotRunning)
            return 0;
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    return 0;
}

int PorticoProcess::waitExit(int timeoutMs)
{
    if (!m_process.waitForFinished(timeoutMs) && m_process.state() != QProcess::NotRunning)
        return -1;
    output();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

void PorticoProcess::terminate()
{
    m_process.terminate();
}

QPair<int, QString> PorticoProcess::run(const QStringList &arguments, int timeoutMs)
{
    PorticoProcess p;
    p.start(arguments);
    const int code = p.waitExit(timeoutMs);
    return { code, p.output() };
}

} // namespace portico::testkit
