#include "core/observe/metric_registry.h"

#include <charconv>
#include <cmath>

namespace portico::observe {

namespace {

QByteArray typeName(MetricType type)
{
    switch (type) {
    case MetricType::Counter:
        return QByteArrayLiteral("counter");
    case MetricType::Gauge:
        return QByteArrayLiteral("gauge");
    case MetricType::Histogram:
        return QByteArrayLiteral("histogram");
    }
    return {};
}

/// `{a="1",b="2"}` plus an optional trailing `le` (the Go client puts it last); empty when there
/// are no labels at all.
QByteArray labelText(const Labels &labels, const QByteArray &le = {})
{
    if (labels.empty() && le.isNull())
        return {};
    QByteArray out = "{";
    for (const auto &[name, value] : labels) {
        if (out.size() > 1)
            out += ',';
        out += name + "=\"" + escapeLabelValue(value) + '"';
    }
    if (!le.isNull())
        out += QByteArray(out.size() > 1 ? "," : "") + "le=\"" + le + '"';
    return out + '}';
}

} // namespace

QByteArray formatMetricValue(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    if (value == 0)
        return QByteArrayLiteral("0");
    // Go's shortest %g: exponent form when the decimal exponent is < -4 or >= 6 (fixed
    // precision 6 for the decision when the shortest digits are used), else plain digits.
    char buffer[64];
    const int exponent = int(std::floor(std::log10(std::fabs(value))));
    const bool scientific = exponent < -4 || exponent >= 6;
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value,
        scientific ? std::chars_format::scientific : std::chars_format::fixed);
    return QByteArray(buffer, int(result.ptr - buffer));
}

QByteArray escapeLabelValue(const QByteArray &value)
{
    QByteArray out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray escapeHelp(const QByteArray &help)
{
    QByteArray out = help;
    return out.replace('\\', "\\\\").replace('\n', "\\n");
}

void MetricRegistry::declare(
    const QByteArray &name, MetricType type, const QByteArray &help, std::vector<double> buckets)
{
    Family &family = m_families[name];
    family.type = type;
    family.help = help;
    family.buckets = std::move(buckets);
}

MetricRegistry::Series *MetricRegistry::seriesOf(const QByteArray &name, const Labels &labels)
{
    const auto it = m_families.find(name);
    Q_ASSERT(it != m_families.end());
    if (it == m_families.end())
        return nullptr;
    Series &series = it->second.series[labels];
    if (series.buckets.size() != it->second.buckets.size())
        series.buckets.assign(it->second.buckets.size(), 0);
    return &series;
}

void MetricRegistry::add(const QByteArray &name, const Labels &labels, double delta)
{
    if (Series *series = seriesOf(name, labels))
        series->value += delta;
}

void MetricRegistry::set(const QByteArray &name, const Labels &labels, double value)
{
    if (Series *series = seriesOf(name, labels))
        series->value = value;
}

void MetricRegistry::observe(const QByteArray &name, const Labels &labels, double value)
{
    Series *series = seriesOf(name, labels);
    if (!series)
        return;
    const std::vector<double> &bounds = m_families[name].buckets;
    for (size_t i = 0; i < bounds.size(); ++i) {
        if (value <= bounds[i]) { // `le`: upper bounds are inclusive
            ++series->buckets[i];
            break;
        }
    }
    ++series->count;
    series->sum += value;
}

void MetricRegistry::clear(const QByteArray &name)
{
    const auto it = m_families.find(name);
    if (it != m_families.end())
        it->second.series.clear();
}

double MetricRegistry::value(const QByteArray &name, const Labels &labels) const
{
    const auto family = m_families.find(name);
    if (family == m_families.end())
        return 0;
    const auto series = family->second.series.find(labels);
    return series == family->second.series.end() ? 0 : series->second.value;
}

void MetricRegistry::renderFamily(
    QByteArray &out, const QByteArray &name, const Family &family) const
{
    out += "# HELP " + name + ' ' + escapeHelp(family.help) + '\n';
    out += "# TYPE " + name + ' ' + typeName(family.type) + '\n';
    for (const auto &[labels, series] : family.series) {
        if (family.type != MetricType::Histogram) {
            out += name + labelText(labels) + ' ' + formatMetricValue(series.value) + '\n';
            continue;
        }
        quint64 cumulative = 0;
        for (size_t i = 0; i < family.buckets.size(); ++i) {
            cumulative += series.buckets[i];
            out += name + "_bucket" + labelText(labels, formatMetricValue(family.buckets[i])) + ' '
                + QByteArray::number(cumulative) + '\n';
        }
        out += name + "_bucket" + labelText(labels, QByteArrayLiteral("+Inf")) + ' '
            + QByteArray::number(series.count) + '\n';
        out += name + "_sum" + labelText(labels) + ' ' + formatMetricValue(series.sum) + '\n';
        out += name + "_count" + labelText(labels) + ' ' + QByteArray::number(series.count) + '\n';
    }
}

QByteArray MetricRegistry::render() const
{
    QByteArray out;
    for (const auto &[name, family] : m_families) {
        if (!family.series.empty())
            renderFamily(out, name, family);
    }
    return out;
}

} // namespace portico::observe
