#include "har_validator.h"

#include <QDateTime>
#include <QJsonArray>
#include <QUrl>

#include <cmath>

namespace portico::testkit {

namespace {

enum class Kind { String, Number, Object, Array, Bool };

class Validator
{
public:
    QStringList problems;

    /// The field `name` of `object` at `path` has `kind`; returns it (Undefined when missing).
    QJsonValue require(const QJsonObject &object, const QString &path, const char *name, Kind kind)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        const QString where = path + QLatin1Char('.') + QLatin1String(name);
        if (value.isUndefined()) {
            problems << where + QStringLiteral(": missing");
            return value;
        }
        if (!hasKind(value, kind))
            problems << where + QStringLiteral(": wrong type");
        return value;
    }

    QJsonValue optional(const QJsonObject &object, const QString &path, const char *name, Kind kind)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (!value.isUndefined() && !hasKind(value, kind))
            problems << path + QLatin1Char('.') + QLatin1String(name)
                    + QStringLiteral(": wrong type");
        return value;
    }

    /// `headers`, `cookies`, `queryString`, `params`: arrays of objects with string name/value.
    void nameValues(const QJsonObject &object, const QString &path, const char *name)
    {
        const QJsonArray items = require(object, path, name, Kind::Array).toArray();
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QString where = QStringLiteral("%1.%2[%3]").arg(path, QLatin1String(name)).arg(i);
            require(items.at(i).toObject(), where, "name", Kind::String);
            require(items.at(i).toObject(), where, "value", Kind::String);
        }
    }

    void request(const QJsonObject &request, const QString &path)
    {
        require(request, path, "method", Kind::String);
        const QUrl url(require(request, path, "url", Kind::String).toString());
        if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
            problems << path + QStringLiteral(".url: not an absolute URL");
        require(request, path, "httpVersion", Kind::String);
        nameValues(request, path, "cookies");
        nameValues(request, path, "headers");
        nameValues(request, path, "queryString");
        require(request, path, "headersSize", Kind::Number);
        require(request, path, "bodySize", Kind::Number);
        const QJsonValue postData = optional(request, path, "postData", Kind::Object);
        if (postData.isObject()) {
            const QString where = path + QStringLiteral(".postData");
            require(postData.toObject(), where, "mimeType", Kind::String);
            // HAR 1.2: text and params are mutually exclusive; Chromium reads text.
            require(postData.toObject(), where, "text", Kind::String);
        }
    }

    void response(const QJsonObject &response, const QString &path)
    {
        require(response, path, "status", Kind::Number);
        require(response, path, "statusText", Kind::String);
        require(response, path, "httpVersion", Kind::String);
        nameValues(response, path, "cookies");
        nameValues(response, path, "headers");
        const QJsonObject content = require(response, path, "content", Kind::Object).toObject();
        const QString where = path + QStringLiteral(".content");
        require(content, where, "size", Kind::Number);
        require(content, where, "mimeType", Kind::String);
        optional(content, where, "text", Kind::String);
        const QJsonValue encoding = optional(content, where, "encoding", Kind::String);
        if (encoding.isString() && encoding.toString() != QLatin1String("base64"))
            problems << where + QStringLiteral(".encoding: not base64");
        require(response, path, "redirectURL", Kind::String);
        require(response, path, "headersSize", Kind::Number);
        require(response, path, "bodySize", Kind::Number);
    }

    /// Returns the sum HAR's `time` must equal (ssl is part of connect, so not added).
    double timings(const QJsonObject &timings, const QString &path)
    {
        double sum = 0;
        for (const char *name : { "send", "wait", "receive" }) {
            const double value = require(timings, path, name, Kind::Number).toDouble(-2);
            if (value < 0)
                problems << path + QLatin1Char('.') + QLatin1String(name)
                        + QStringLiteral(": negative");
            sum += std::max(0.0, value);
        }
        for (const char *name : { "blocked", "dns", "connect", "ssl" }) {
            const double value = require(timings, path, name, Kind::Number).toDouble(-2);
            if (value < 0 && value != -1)
                problems << path + QLatin1Char('.') + QLatin1String(name)
                        + QStringLiteral(": below -1");
            if (qstrcmp(name, "ssl") != 0)
                sum += std::max(0.0, value);
        }
        return sum;
    }

    void entry(const QJsonObject &entry, const QString &path)
    {
        const QString started = require(entry, path, "startedDateTime", Kind::String).toString();
        if (!QDateTime::fromString(started, Qt::ISODateWithMs).isValid())
            problems << path + QStringLiteral(".startedDateTime: not ISO 8601");
        const double time = require(entry, path, "time", Kind::Number).toDouble(-1);
        request(require(entry, path, "request", Kind::Object).toObject(),
            path + QStringLiteral(".request"));
        response(require(entry, path, "response", Kind::Object).toObject(),
            path + QStringLiteral(".response"));
        require(entry, path, "cache", Kind::Object);
        const double sum = timings(require(entry, path, "timings", Kind::Object).toObject(),
            path + QStringLiteral(".timings"));
        if (std::abs(time - sum) > 0.01)
            problems << path
                    + QStringLiteral(".time: %1 is not the sum of the timings %2")
                          .arg(time)
                          .arg(sum);
        optional(entry, path, "serverIPAddress", Kind::String);
        optional(entry, path, "connection", Kind::String);
        optional(entry, path, "pageref", Kind::String);
    }

private:
    static bool hasKind(const QJsonValue &value, Kind kind)
    {
        switch (kind) {
        case Kind::String:
            return value.isString();
        case Kind::Number:
            return value.isDouble();
        case Kind::Object:
            return value.isObject();
        case Kind::Array:
            return value.isArray();
        case Kind::Bool:
            return value.isBool();
        }
        return false;
    }
};

} // namespace

QStringList validateHar(const QJsonObject &document)
{
    Validator v;
    const QJsonObject log
        = v.require(document, QStringLiteral("$"), "log", Kind::Object).toObject();
    const QString path = QStringLiteral("log");
    if (v.require(log, path, "version", Kind::String).toString() != QLatin1String("1.2"))
        v.problems << QStringLiteral("log.version: not 1.2");
    const QJsonObject creator = v.require(log, path, "creator", Kind::Object).toObject();
    v.require(creator, QStringLiteral("log.creator"), "name", Kind::String);
    v.require(creator, QStringLiteral("log.creator"), "version", Kind::String);
    v.optional(log, path, "pages", Kind::Array);
    const QJsonArray entries = v.require(log, path, "entries", Kind::Array).toArray();
    for (qsizetype i = 0; i < entries.size(); ++i)
        v.entry(entries.at(i).toObject(), QStringLiteral("log.entries[%1]").arg(i));
    return v.problems;
}

} // namespace portico::testkit
