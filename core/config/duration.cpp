#include "core/config/duration.h"

#include <cmath>
#include <limits>
#include <optional>

namespace portico::config {

namespace {

/// Nanoseconds per unit, as Go's time.ParseDuration knows them.
double unitNanoseconds(const QString &unit)
{
    if (unit == QLatin1String("ns"))
        return 1;
    if (unit == QLatin1String("us") || unit == QStringLiteral("\u00b5s")
        || unit == QStringLiteral("\u03bcs"))
        return 1e3;
    if (unit == QLatin1String("ms"))
        return 1e6;
    if (unit == QLatin1String("s"))
        return 1e9;
    if (unit == QLatin1String("m"))
        return 60e9;
    if (unit == QLatin1String("h"))
        return 3600e9;
    return 0;
}

Error invalid(const QString &text)
{
    return Error { QStringLiteral("invalid duration \"%1\"").arg(text), {},
        QStringLiteral("expected a duration such as \"100ms\" or \"1m30s\", or a number "
                       "of seconds") };
}

/// Go's grammar: [-+]? ( number unit )+ where number is digits with an optional fraction.
std::optional<double> parseGoDuration(const QString &text)
{
    qsizetype i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == u'-' || text[i] == u'+'))
        negative = text[i++] == u'-';
    if (text.mid(i) == QLatin1String("0"))
        return 0.0;
    double total = 0;
    bool any = false;
    while (i < text.size()) {
        const qsizetype numberStart = i;
        while (i < text.size() && (text[i].isDigit() || text[i] == u'.'))
            ++i;
        bool ok = false;
        const double number = text.mid(numberStart, i - numberStart).toDouble(&ok);
        if (!ok)
            return std::nullopt;
        const qsizetype unitStart = i;
        while (i < text.size() && !text[i].isDigit() && text[i] != u'.')
            ++i;
        const double unit = unitNanoseconds(text.mid(unitStart, i - unitStart));
        if (unit == 0)
            return std::nullopt;
        total += number * unit;
        any = true;
    }
    if (!any)
        return std::nullopt;
    return negative ? -total : total;
}

} // namespace

Expected<std::chrono::milliseconds> parseDuration(const QString &input)
{
    const QString text = input.trimmed();
    bool isInteger = false;
    const qint64 seconds = text.toLongLong(&isInteger);
    // Go durations are int64 nanoseconds: about 292 years is the largest one Traefik accepts.
    constexpr double maxNanoseconds = double(std::numeric_limits<qint64>::max());
    if (isInteger) {
        if (std::abs(double(seconds)) * 1e9 > maxNanoseconds)
            return invalid(input);
        return std::chrono::milliseconds(seconds * 1000);
    }
    const std::optional<double> nanoseconds = parseGoDuration(text);
    if (!nanoseconds || std::abs(*nanoseconds) > maxNanoseconds)
        return invalid(input);
    double ms = *nanoseconds / 1e6;
    if (ms != 0 && std::abs(ms) < 1)
        ms = ms < 0 ? -1 : 1;
    return std::chrono::milliseconds(qint64(ms < 0 ? std::ceil(ms) : std::floor(ms)));
}

} // namespace portico::config
