#pragma once

#include <QObject>
#include <QString>

#include <chrono>
#include <functional>

class QTcpSocket;
class QTimer;

namespace portico::provider::ports {

/// What one `GET /` on a listener showed.
struct ProbeResult
{
    bool http = false; ///< answered with an HTTP/1.x status line
    bool silent = false; ///< accepted the connection but said nothing before the timeout
    int status = 0;
    QString title; ///< the page's `<title>`, whitespace collapsed; empty when none
};

/// The text of the first `<title>` element in `html` (entities &amp; &lt; &gt; &quot; &#39;
/// decoded, whitespace collapsed); empty when there is none.
QString extractTitle(const QByteArray &html);

/// One asynchronous HTTP probe: connects to `host:port`, sends `GET /` (RFC 9110 §9.3.1) with
/// `Host: localhost` (dev servers that check Host accept it), reads the status line and the
/// page's title, and reports once. Deletes itself after reporting.
class HttpProbe : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const ProbeResult &)>;

    /// Starts a probe; `done` runs on this thread unless `context` is destroyed first.
    static void start(const QString &host, quint16 port, std::chrono::milliseconds timeout,
        QObject *context, Callback done);

private:
    HttpProbe(QObject *context, Callback done);
    void onReadyRead();
    void finish();
    bool complete() const;

    QTcpSocket *m_socket = nullptr;
    QTimer *m_timer = nullptr;
    QByteArray m_received;
    Callback m_done;
    bool m_finished = false;
};

} // namespace portico::provider::ports
