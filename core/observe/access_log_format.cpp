#include "core/observe/access_log.h"
#include "core/observe/access_log_fields.h"

#include <QLocale>

// The two renderings of Traefik's field map (pkg/middlewares/accesslog: the CLF formatter and
// logrus' JSON formatter), see traefik-interfaces.md §2.2 and §2.3.
namespace portico::observe {

namespace {

using accesslog::Fields;
using accesslog::Value;

/// A field as CLF shows it: unquoted or Go-quoted text, or `fallback` when absent or empty.
QByteArray clf(const Fields &f, const char *name, bool quoted, const QByteArray &fallback = "-")
{
    const auto it = f.find(name);
    if (it == f.end())
        return fallback;
    const Value &v = it->second;
    if (v.kind == Value::Kind::Integer)
        return QByteArray::number(v.integer);
    if (v.text.isEmpty())
        return fallback;
    return quoted ? accesslog::goQuote(v.text) : v.text;
}

/// `[time]` from StartUTC (always +0000), else StartLocal, else `-`.
QByteArray clfTimestamp(const Fields &f, qint64 startedUs)
{
    if (f.count("StartUTC"))
        return '[' + accesslog::clfTime(startedUs, true) + ']';
    if (f.count("StartLocal"))
        return '[' + accesslog::clfTime(startedUs, false) + ']';
    return "-";
}

qint64 durationMs(const Fields &f)
{
    const auto it = f.find("Duration");
    return it == f.end() ? 0 : it->second.integer / 1000000; // truncated, as Go's integer division
}

QByteArray jsonValue(const Value &v)
{
    switch (v.kind) {
    case Value::Kind::Integer:
        return QByteArray::number(v.integer);
    case Value::Kind::Real:
        return QByteArray::number(v.real, 'f', QLocale::FloatingPointShortest);
    case Value::Kind::Text:
        break;
    }
    return accesslog::jsonString(v.text);
}

} // namespace

QByteArray formatCommon(
    const ExchangeRecord &record, const config::AccessLogSpec &spec, quint64 requestCount)
{
    const Fields f = accesslog::collectFields(record, spec, requestCount);
    QByteArray line = clf(f, "ClientHost", false) + " - " + clf(f, "ClientUsername", false) + ' '
        + clfTimestamp(f, record.startedUs) + " \"" + clf(f, "RequestMethod", false) + ' '
        + clf(f, "RequestPath", false) + ' ' + clf(f, "RequestProtocol", false) + "\" "
        + clf(f, "DownstreamStatus", false) + ' ' + clf(f, "DownstreamContentSize", false) + ' '
        + clf(f, "request_Referer", true, "\"-\"") + ' '
        + clf(f, "request_User-Agent", true, "\"-\"");
    if (spec.format == QLatin1String("genericCLF"))
        return line;
    line += ' ' + clf(f, "RequestCount", false) + ' ' + clf(f, "RouterName", true, "\"-\"") + ' '
        + clf(f, "ServiceURL", true, "\"-\"") + ' ' + QByteArray::number(durationMs(f)) + "ms";
    return line;
}

QByteArray formatJson(
    const ExchangeRecord &record, const config::AccessLogSpec &spec, quint64 requestCount)
{
    Fields f = accesslog::collectFields(record, spec, requestCount);
    // logrus adds these three; `time` is when the line is written: the exchange's end.
    Value info;
    info.text = "info";
    f["level"] = info;
    f["msg"] = Value();
    Value time;
    time.text = accesslog::rfc3339Local(record.startedUs + qMax<qint64>(0, record.timing.total));
    f["time"] = time;
    QByteArray line = "{";
    for (const auto &[name, value] : f) {
        if (line.size() > 1)
            line += ',';
        line += accesslog::jsonString(name) + ':' + jsonValue(value);
    }
    return line + '}';
}

QByteArray formatLine(
    const ExchangeRecord &record, const config::AccessLogSpec &spec, quint64 requestCount)
{
    if (spec.format == QLatin1String("json"))
        return formatJson(record, spec, requestCount);
    return formatCommon(record, spec, requestCount);
}

} // namespace portico::observe
