#include "core/provider/ports/http_probe.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>

namespace portico::provider::ports {
namespace {

/// Enough to hold the head of any dev server's index page; a title further down is not looked for.
constexpr qsizetype maxBytes = 64 * 1024;

} // namespace

QString extractTitle(const QByteArray &html)
{
    static const QRegularExpression title(QStringLiteral("<title[^>]*>(.*?)</title\\s*>"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = title.match(QString::fromUtf8(html));
    if (!match.hasMatch())
        return {};
    QString text = match.captured(1).simplified();
    text.replace(QLatin1String("&lt;"), QLatin1String("<"))
        .replace(QLatin1String("&gt;"), QLatin1String(">"))
        .replace(QLatin1String("&quot;"), QLatin1String("\""))
        .replace(QLatin1String("&#39;"), QLatin1String("'"))
        .replace(QLatin1String("&amp;"), QLatin1String("&"));
    return text;
}

void HttpProbe::start(const QString &host, quint16 port, std::chrono::milliseconds timeout,
    QObject *context, Callback done)
{
    auto *probe = new HttpProbe(context, std::move(done));
    probe->m_timer->start(timeout);
    connect(probe->m_socket, &QTcpSocket::connected, probe, [probe, port] {
        probe->m_socket->write("GET / HTTP/1.1\r\nHost: localhost:" + QByteArray::number(port)
            + "\r\nUser-Agent: portico-discovery\r\nAccept: text/html\r\nConnection: "
              "close\r\n\r\n");
    });
    probe->m_socket->connectToHost(QHostAddress(host), port);
}

HttpProbe::HttpProbe(QObject *context, Callback done)
    : QObject(context)
    , m_socket(new QTcpSocket(this))
    , m_timer(new QTimer(this))
    , m_done(std::move(done))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &HttpProbe::finish);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpProbe::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpProbe::finish);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &HttpProbe::finish);
}

void HttpProbe::onReadyRead()
{
    m_received += m_socket->read(maxBytes - m_received.size());
    if (complete())
        finish();
}

/// Done once the title was seen, the size cap reached, or the body announced by Content-Length
/// fully read.
bool HttpProbe::complete() const
{
    if (m_received.size() >= maxBytes || m_received.toLower().contains("</title"))
        return true;
    const qsizetype headEnd = m_received.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    static const QRegularExpression length(
        QStringLiteral("\r\ncontent-length:\\s*(\\d+)"), QRegularExpression::CaseInsensitiveOption);
    const auto match = length.match(QString::fromLatin1(m_received.left(headEnd + 2)));
    return match.hasMatch() && m_received.size() - headEnd - 4 >= match.captured(1).toLongLong();
}

void HttpProbe::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_received += m_socket->readAll();
    ProbeResult result;
    static const QRegularExpression statusLine(QStringLiteral("^HTTP/1\\.[01] (\\d{3})"));
    const auto match = statusLine.match(QString::fromLatin1(m_received.left(16)));
    result.http = match.hasMatch();
    result.status = result.http ? match.captured(1).toInt() : 0;
    result.silent = m_received.isEmpty() && m_socket->state() == QAbstractSocket::ConnectedState;
    if (result.http)
        result.title = extractTitle(m_received.mid(m_received.indexOf("\r\n\r\n")));
    m_socket->abort();
    Callback done = std::move(m_done);
    deleteLater();
    done(result);
}

} // namespace portico::provider::ports
