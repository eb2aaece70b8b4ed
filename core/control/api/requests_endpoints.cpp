#include "core/control/api/requests_endpoints.h"

#include "core/control/api/requests_internal.h"
#include "core/observe/body_decoding.h"
#include "core/observe/capture_hub.h"
#include "core/observe/export_helpers.h"
#include "core/observe/exports.h"
#include "core/observe/history_store.h"

#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace portico::control::api {

namespace {

using observe::ExportOptions;
using observe::RecordBatch;
using observe::RecordPtr;

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;
constexpr int kMaxHarRecords = 10000;

Expected<int> parseLimit(const ApiRequest &request, int fallback, int maximum)
{
    const QString text = request.query.queryItemValue(QStringLiteral("limit"));
    if (text.isEmpty())
        return fallback;
    bool ok = false;
    const int limit = text.toInt(&ok);
    if (!ok || limit < 1 || limit > maximum)
        return Error { QStringLiteral("query parameter \"limit\": \"%1\" is not a number from 1 to "
                                      "%2")
                           .arg(text)
                           .arg(maximum),
            {}, {} };
    return limit;
}

Expected<quint64> parseBefore(const ApiRequest &request)
{
    const QString text = request.query.queryItemValue(QStringLiteral("before"));
    if (text.isEmpty())
        return quint64(0);
    bool ok = false;
    const quint64 before = text.toULongLong(&ok);
    if (!ok)
        return Error {
            QStringLiteral("query parameter \"before\": \"%1\" is not a record id").arg(text), {},
            {}
        };
    return before;
}

ApiResponse list(const RequestsContext &context, const ApiRequest &request)
{
    const auto filter = observe::parseRecordFilter(request.query);
    if (!filter)
        return ApiResponse::error(400, filter.error().toString());
    const auto before = parseBefore(request);
    if (!before)
        return ApiResponse::error(400, before.error().toString());
    const auto limit = parseLimit(request, kDefaultLimit, kMaxLimit);
    if (!limit)
        return ApiResponse::error(400, limit.error().toString());
    const RecordBatch records = findRecords(context, *filter, *before, *limit);
    QJsonArray items;
    const ExportOptions options { exportOptions(request).redact, false };
    for (const RecordPtr &record : records)
        items.append(observe::toJson(*record, options));
    ApiResponse response = ApiResponse::json(QJsonDocument(items));
    // Like Traefik's X-Next-Page: what to ask for next; 0 (from the newest again) at the end.
    const quint64 next = int(records.size()) == *limit ? records.back()->id : 0;
    response.headers.append({ QByteArrayLiteral("X-Next-Page"), QByteArray::number(next) });
    return response;
}

/// Replaces `body.data` with the body's Content-Encoding undone (for display), or says why not.
void decodeBodyJson(QJsonObject &part, const observe::CapturedBody &body, const HeaderList &headers)
{
    const QByteArray coding = headers.value("content-encoding").trimmed().toLower();
    if (coding.isEmpty() || coding == "identity" || body.data.isEmpty())
        return;
    QJsonObject json = part.value(QLatin1String("body")).toObject();
    if (auto decoded = observe::decodeBody(body.data, headers); decoded) {
        const auto [data, encoding] = observe::textOrBase64(*decoded);
        json.insert(QStringLiteral("data"), data);
        json.insert(QStringLiteral("encoding"), encoding);
        json.insert(QStringLiteral("decoded"), true);
        json.insert(QStringLiteral("decodedSize"), decoded->size());
    } else {
        json.insert(QStringLiteral("decodeError"), decoded.error().toString());
    }
    part.insert(QStringLiteral("body"), json);
}

ApiResponse one(const RequestsContext &context, const ApiRequest &request)
{
    const RecordLookup lookup = recordFromPath(context, request);
    if (!lookup.record)
        return lookup.failure;
    const observe::ExchangeRecord &record = *lookup.record;
    QJsonObject json = observe::toJson(record, exportOptions(request));
    const QString decoded = request.query.queryItemValue(QStringLiteral("decoded"));
    if (decoded == QLatin1String("1") || decoded == QLatin1String("true")) {
        QJsonObject req = json.value(QLatin1String("request")).toObject();
        QJsonObject res = json.value(QLatin1String("response")).toObject();
        decodeBodyJson(req, record.requestBody, record.requestHeaders);
        decodeBodyJson(res, record.responseBody, record.responseHeaders);
        json.insert(QStringLiteral("request"), req);
        json.insert(QStringLiteral("response"), res);
    }
    return ApiResponse::json(QJsonDocument(json));
}

ApiResponse curl(const RequestsContext &context, const ApiRequest &request)
{
    const RecordLookup lookup = recordFromPath(context, request);
    if (!lookup.record)
        return lookup.failure;
    return ApiResponse { 200, QByteArrayLiteral("text/plain; charset=utf-8"),
        observe::toCurl(*lookup.record, exportOptions(request)).toUtf8() + '\n' };
}

ApiResponse har(const RequestsContext &context, const ApiRequest &request)
{
    const auto filter = observe::parseRecordFilter(request.query);
    if (!filter)
        return ApiResponse::error(400, filter.error().toString());
    const auto limit = parseLimit(request, kMaxHarRecords, kMaxHarRecords);
    if (!limit)
        return ApiResponse::error(400, limit.error().toString());
    const RecordBatch records = findRecords(context, *filter, 0, *limit);
    ApiResponse response
        = ApiResponse::json(QJsonDocument(observe::toHar(records, exportOptions(request))));
    response.headers.append({ QByteArrayLiteral("Content-Disposition"),
        QByteArrayLiteral("attachment; filename=\"portico.har\"") });
    return response;
}

ApiResponse clear(const RequestsContext &context)
{
    if (context.hub)
        context.hub->clear();
    if (context.clearHistory)
        context.clearHistory();
    return ApiResponse::noContent();
}

QJsonObject settingsJson(const observe::CaptureSettings &settings)
{
    return QJsonObject {
        { QStringLiteral("enabled"), true },
        { QStringLiteral("paused"), settings.paused },
        { QStringLiteral("bodyCap"), settings.bodyCap },
        { QStringLiteral("budgetBytes"), settings.budgetBytes },
        { QStringLiteral("maxMessages"), settings.maxMessages },
        { QStringLiteral("messageCap"), settings.messageCap },
        { QStringLiteral("routers"), QJsonArray::fromStringList(settings.routers) },
    };
}

QJsonObject historyStatusJson(const observe::HistoryWriterStatus &status)
{
    return QJsonObject {
        { QStringLiteral("written"), qint64(status.written) },
        { QStringLiteral("dropped"), qint64(status.dropped) },
        { QStringLiteral("backlog"), qint64(status.backlog) },
    };
}

ApiResponse captureSettings(const RequestsContext &context)
{
    if (!context.hub)
        return ApiResponse::json(
            QJsonDocument(QJsonObject { { QStringLiteral("enabled"), false } }));
    QJsonObject settings = settingsJson(*context.hub->settings());
    // What the ring holds against its budget (bytes as the heap counts them).
    settings.insert(QStringLiteral("ring"),
        QJsonObject { { QStringLiteral("records"), qint64(context.hub->count()) },
            { QStringLiteral("bytes"), context.hub->bytesUsed() } });
    if (context.history) // records the writer dropped when it fell behind are counted, not hidden
        settings.insert(QStringLiteral("history"), historyStatusJson(context.history->status()));
    return ApiResponse::json(QJsonDocument(settings));
}

/// `{paused, bodyCap, routers}`: each optional, the others stay as they are.
ApiResponse changeCapture(const RequestsContext &context, const ApiRequest &request)
{
    if (!context.hub)
        return ApiResponse::error(
            409, QStringLiteral("capture is disabled (portico.capture.enabled: false)"));
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    if (!document.isObject())
        return ApiResponse::error(400, QStringLiteral("body is not a JSON object"));
    const QJsonObject body = document.object();
    observe::CaptureSettings settings = *context.hub->settings();
    if (const QJsonValue paused = body.value(QLatin1String("paused")); !paused.isUndefined()) {
        if (!paused.isBool())
            return ApiResponse::error(400, QStringLiteral("\"paused\" must be true or false"));
        settings.paused = paused.toBool();
    }
    if (const QJsonValue cap = body.value(QLatin1String("bodyCap")); !cap.isUndefined()) {
        if (!cap.isDouble() || cap.toDouble() < 0 || cap.toDouble() != double(cap.toInteger()))
            return ApiResponse::error(400, QStringLiteral("\"bodyCap\" must be a byte count"));
        settings.bodyCap = cap.toInteger();
    }
    if (const QJsonValue routers = body.value(QLatin1String("routers")); !routers.isUndefined()) {
        if (!routers.isArray())
            return ApiResponse::error(400, QStringLiteral("\"routers\" must be a list of names"));
        QStringList names;
        for (const QJsonValue &name : routers.toArray()) {
            if (!name.isString() || name.toString().isEmpty())
                return ApiResponse::error(
                    400, QStringLiteral("\"routers\" must be a list of names"));
            names << name.toString();
        }
        settings.routers = names;
    }
    context.hub->setSettings(settings);
    return ApiResponse::json(QJsonDocument(settingsJson(settings)));
}

/// `redact=0` shows Authorization, Cookie and Set-Cookie values: like a mutating call, it needs
/// the API token, so another local program (or a browser page that reached loopback) cannot read
/// credentials that passed through the proxy.
std::optional<ApiResponse> refuseUnredacted(const ApiRequest &request)
{
    if (exportOptions(request).redact || request.authorized)
        return std::nullopt;
    ApiResponse denied = ApiResponse::error(401,
        QStringLiteral("redact=0 reveals Authorization, Cookie and Set-Cookie values and needs the "
                       "API token: send \"Authorization: Bearer <token>\" with the token from the "
                       "api-token file in Portico's directory (portico requests --no-redact does), "
                       "or leave redact out"));
    denied.headers.append(
        { QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"portico\"") });
    return denied;
}

} // namespace

ExportOptions exportOptions(const ApiRequest &request)
{
    const QString redact = request.query.queryItemValue(QStringLiteral("redact"));
    return ExportOptions { redact != QLatin1String("0") && redact != QLatin1String("false"), true };
}

RecordBatch findRecords(
    const RequestsContext &context, const observe::RecordFilter &filter, quint64 before, int limit)
{
    RecordBatch records;
    if (context.hub)
        records = context.hub->records(filter, before, limit);
    // The ring holds the newest records; the history continues below its oldest.
    if (int(records.size()) < limit && context.searchHistory) {
        const quint64 below = records.empty() ? before : records.back()->id;
        if (auto older = context.searchHistory(filter, below, limit - int(records.size())); older)
            records.insert(records.end(), older->begin(), older->end());
    }
    return records;
}

RecordLookup recordFromPath(const RequestsContext &context, const ApiRequest &request)
{
    const QString text = request.captures.value(0);
    bool ok = false;
    const quint64 id = text.toULongLong(&ok);
    if (!ok)
        return { nullptr,
            ApiResponse::error(400, QStringLiteral("\"%1\" is not a record id").arg(text)) };
    RecordPtr record = context.hub ? context.hub->record(id) : nullptr;
    if (!record && context.historyRecord) {
        if (auto stored = context.historyRecord(id); stored)
            record = *stored;
    }
    if (!record)
        return {
            nullptr,
            ApiResponse::error(404,
                QStringLiteral("record %1 not found (evicted, cleared or never captured)").arg(id))
        };
    return { record, {} };
}

RequestsContext requestsContext(observe::CaptureHub *hub, observe::HistoryStore *history,
    const std::vector<proxy::ProxyServer::BoundAddress> &bound)
{
    RequestsContext context;
    context.hub = hub;
    if (history) {
        context.searchHistory = [history](const observe::RecordFilter &filter, quint64 before,
                                    int limit) { return history->search(filter, before, limit); };
        context.historyRecord = [history](quint64 id) { return history->record(id); };
        context.clearHistory = [history] { (void)history->clear(); };
        context.history = history;
    }
    for (const auto &address : bound) {
        if (context.entryPoints.count(address.entryPoint))
            continue; // the first address of an entry point is as good as any
        QHostAddress host = address.address;
        if (host == QHostAddress::AnyIPv4 || host == QHostAddress::Any)
            host = QHostAddress::LocalHost;
        else if (host == QHostAddress::AnyIPv6)
            host = QHostAddress::LocalHostIPv6;
        context.entryPoints[address.entryPoint] = { host, address.port };
    }
    return context;
}

void registerRequestsEndpoints(ApiRouter &router, RequestsContext context)
{
    qRegisterMetaType<observe::RecordBatch>();
    const auto shared = std::make_shared<const RequestsContext>(std::move(context));
    const auto bind
        = [shared](ApiResponse (*handler)(const RequestsContext &, const ApiRequest &)) {
              return [shared, handler](const ApiRequest &request) {
                  if (auto denied = refuseUnredacted(request))
                      return *denied;
                  return handler(*shared, request);
              };
          };
    router.add("GET", QStringLiteral("/api/portico/requests"), Access::ReadOnly, bind(&list));
    router.add("GET", QStringLiteral("/api/portico/requests/stream"), Access::ReadOnly,
        bind(&streamRequests));
    router.add("GET", QStringLiteral("/api/portico/requests/{id}"), Access::ReadOnly, bind(&one));
    router.add(
        "GET", QStringLiteral("/api/portico/requests/{id}/curl"), Access::ReadOnly, bind(&curl));
    router.add("POST", QStringLiteral("/api/portico/requests/{id}/replay"), Access::Mutating,
        bind(&replayHandler));
    router.add("DELETE", QStringLiteral("/api/portico/requests"), Access::Mutating,
        [shared](const ApiRequest &) { return clear(*shared); });
    router.add("GET", QStringLiteral("/api/portico/har"), Access::ReadOnly, bind(&har));
    router.add("GET", QStringLiteral("/api/portico/capture"), Access::ReadOnly,
        [shared](const ApiRequest &) { return captureSettings(*shared); });
    router.add(
        "PUT", QStringLiteral("/api/portico/capture"), Access::Mutating, bind(&changeCapture));
}

} // namespace portico::control::api
