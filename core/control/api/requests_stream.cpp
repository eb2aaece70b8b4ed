// The inspector's long-running endpoints: the server-sent events stream of records and replays.
#include "core/control/api/api_reply.h"
#include "core/control/api/requests_internal.h"
#include "core/http/message.h"
#include "core/observe/capture_hub.h"
#include "core/observe/export_helpers.h"
#include "core/observe/replay.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

namespace portico::control::api {

namespace {

using observe::RecordBatch;
using observe::RecordPtr;

constexpr int kHeartbeatMs = 15000;
constexpr int kMaxBacklog = 1000;

/// One SSE subscriber (HTML Living Standard §9.2 event stream format): forwards the hub's
/// batches that match its filter as `event: request` with the record's JSON summary, and a
/// comment line as heartbeat so proxies and clients see the connection alive. Lives on the
/// control thread; deletes itself when the client goes.
class RecordStream final : public QObject
{
public:
    RecordStream(std::shared_ptr<ApiReply> reply, observe::CaptureHub *hub,
        observe::RecordFilter filter, observe::ExportOptions options, int heartbeatMs)
        : m_reply(std::move(reply))
        , m_filter(std::move(filter))
        , m_options(options)
    {
        m_options.bodies = false;
        connect(m_reply.get(), &ApiReply::disconnected, this, &QObject::deleteLater);
        if (hub) {
            connect(hub, &observe::CaptureHub::recordsPublished, this, &RecordStream::send);
            connect(hub, &QObject::destroyed, this, &RecordStream::stop);
        }
        m_heartbeat.setInterval(heartbeatMs);
        connect(&m_heartbeat, &QTimer::timeout, this, [this] {
            if (!m_reply->write(QByteArrayLiteral(": heartbeat\n\n")))
                stop();
        });
        m_heartbeat.start();
    }

    /// Records published before the subscription (oldest first), e.g. for `--follow`.
    void send(const RecordBatch &records)
    {
        QByteArray out;
        for (const RecordPtr &record : records) {
            if (!observe::matches(*record, m_filter))
                continue;
            const QJsonObject json = observe::toJson(*record, m_options);
            out += "event: request\nid: " + QByteArray::number(record->id)
                + "\ndata: " + QJsonDocument(json).toJson(QJsonDocument::Compact) + "\n\n";
        }
        if (!out.isEmpty() && !m_reply->write(out))
            stop();
    }

private:
    void stop()
    {
        m_heartbeat.stop();
        m_reply->end();
        deleteLater();
    }

    std::shared_ptr<ApiReply> m_reply;
    observe::RecordFilter m_filter;
    observe::ExportOptions m_options;
    QTimer m_heartbeat;
};

/// `name=value` as a positive integer, or `fallback` when absent.
Expected<int> positiveParameter(
    const ApiRequest &request, const char *name, int fallback, int maximum)
{
    const QString text = request.query.queryItemValue(QLatin1String(name));
    if (text.isEmpty())
        return fallback;
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < 0 || value > maximum)
        return Error { QStringLiteral("query parameter \"%1\": \"%2\" is not a number from 0 to %3")
                           .arg(QLatin1String(name), text)
                           .arg(maximum),
            {}, {} };
    return value;
}

QJsonArray headersJson(const HeaderList &headers)
{
    QJsonArray out;
    for (const auto &field : headers)
        out.append(QJsonObject { { QStringLiteral("name"), QString::fromLatin1(field.name) },
            { QStringLiteral("value"), QString::fromUtf8(field.value) } });
    return out;
}

/// The record the proxy made of the replay: started after the replay did, from the replay's
/// client port — or, where the data plane leaves the port out, the oldest such record with the
/// replay's method, target and host.
RecordPtr replayRecord(const observe::CaptureHub &hub, const observe::ReplayRequest &request,
    const observe::ReplayResponse &response)
{
    RecordPtr candidate;
    for (const RecordPtr &record : hub.records({}, 0, 200)) { // newest first
        if (record->startedUs < response.startedUs - 1000) // clocks: µs since the epoch
            break;
        if (record->clientPort != 0) {
            if (record->clientPort == response.localPort)
                return record;
            continue;
        }
        if (record->method == request.method && record->target == request.target
            && observe::recordAuthority(*record) == request.authority)
            candidate = record;
    }
    return candidate;
}

QJsonObject replayJson(const observe::ReplayResponse &response, const RecordPtr &record)
{
    const auto [body, encoding] = observe::textOrBase64(response.body);
    return QJsonObject {
        { QStringLiteral("status"), response.status },
        { QStringLiteral("statusText"), QString::fromLatin1(http::reasonPhrase(response.status)) },
        { QStringLiteral("httpVersion"), QString::fromLatin1(response.httpVersion) },
        { QStringLiteral("headers"), headersJson(response.headers) },
        { QStringLiteral("body"), body },
        { QStringLiteral("bodyEncoding"), encoding },
        { QStringLiteral("bodyTruncated"), response.truncated },
        { QStringLiteral("recordId"), record ? QJsonValue(qint64(record->id)) : QJsonValue() },
    };
}

/// Answers once the replay's record is complete in the hub (it is published in batches), or
/// after ~2 s with what is there.
void answerReplay(std::shared_ptr<ApiReply> reply, observe::CaptureHub *hub,
    std::shared_ptr<const observe::ReplayRequest> request, observe::ReplayResponse response,
    int attemptsLeft)
{
    if (!reply->isOpen())
        return;
    const RecordPtr record = hub ? replayRecord(*hub, *request, response) : nullptr;
    const bool settled = record && record->state != observe::RecordState::InProgress;
    if (!hub || settled || attemptsLeft <= 0) {
        reply->respond(ApiResponse::json(QJsonDocument(replayJson(response, record))));
        return;
    }
    ApiReply *context = reply.get();
    QTimer::singleShot(20, context,
        [reply = std::move(reply), hub, request = std::move(request),
            response = std::move(response), attemptsLeft]() mutable {
            answerReplay(
                std::move(reply), hub, std::move(request), std::move(response), attemptsLeft - 1);
        });
}

} // namespace

ApiResponse streamRequests(const RequestsContext &context, const ApiRequest &request)
{
    const auto filter = observe::parseRecordFilter(request.query);
    if (!filter)
        return ApiResponse::error(400, filter.error().toString());
    const auto backlog = positiveParameter(request, "backlog", 0, kMaxBacklog);
    if (!backlog)
        return ApiResponse::error(400, backlog.error().toString());
    // For tests and picky intermediaries; the documented default is 15 s.
    const auto heartbeat = positiveParameter(request, "heartbeat", kHeartbeatMs / 1000, 3600);
    if (!heartbeat)
        return ApiResponse::error(400, heartbeat.error().toString());
    auto reply = std::make_shared<ApiReply>();
    reply->startStream(200, QByteArrayLiteral("text/event-stream"),
        { { QByteArrayLiteral("X-Accel-Buffering"), QByteArrayLiteral("no") } });
    reply->write(QByteArrayLiteral("retry: 2000\n: subscribed\n\n"));
    auto *stream = new RecordStream(
        reply, context.hub, *filter, exportOptions(request), std::max(1, *heartbeat) * 1000);
    if (*backlog > 0) {
        RecordBatch recent = findRecords(context, *filter, 0, *backlog);
        std::reverse(recent.begin(), recent.end());
        stream->send(recent);
    }
    return ApiResponse::later(reply);
}

ApiResponse replayHandler(const RequestsContext &context, const ApiRequest &request)
{
    const RecordLookup lookup = recordFromPath(context, request);
    if (!lookup.record)
        return lookup.failure;
    QJsonObject edits;
    if (!request.body.trimmed().isEmpty()) {
        const QJsonDocument document = QJsonDocument::fromJson(request.body);
        if (!document.isObject())
            return ApiResponse::error(400, QStringLiteral("body is not a JSON object"));
        edits = document.object();
    }
    auto replayed = observe::replayRequest(*lookup.record, edits);
    if (!replayed)
        return ApiResponse::error(400, replayed.error().toString());
    const auto target = context.entryPoints.find(lookup.record->entryPoint);
    if (target == context.entryPoints.end())
        return ApiResponse::error(409,
            QStringLiteral("entry point \"%1\" of record %2 is not listening")
                .arg(lookup.record->entryPoint)
                .arg(lookup.record->id));
    auto reply = std::make_shared<ApiReply>();
    const auto sent = std::make_shared<const observe::ReplayRequest>(*replayed);
    auto *replay = new observe::Replay(*sent, target->second.first, target->second.second);
    // The client leaving does not cancel the replay: the request may already have been sent.
    replay->start(
        [reply, replay, sent, hub = context.hub](Expected<observe::ReplayResponse> result) {
            replay->deleteLater();
            if (!result)
                reply->respond(ApiResponse::error(502, result.error().toString()));
            else
                answerReplay(reply, hub, sent, std::move(result.value()), 100);
        });
    return ApiResponse::later(reply);
}

} // namespace portico::control::api
