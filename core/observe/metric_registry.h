#pragma once

#include <QByteArray>

#include <map>
#include <vector>

namespace portico::observe {

/// Prometheus metric types as the text format names them.
enum class MetricType { Counter, Gauge, Histogram };

/// A label-value map in the spelling of the exposition (names must be valid label names).
using Labels = std::map<QByteArray, QByteArray>;

/// A small Prometheus registry: metric families with HELP and TYPE, series by label values, and
/// the text exposition format 0.0.4 as the Go client writes it (families sorted by name, labels
/// by name, series by label values, `le` last). Not thread-safe: the owner serialises access.
class MetricRegistry
{
public:
    /// Declares a family; `buckets` are the histogram's upper bounds (ascending, +Inf implied).
    void declare(const QByteArray &name, MetricType type, const QByteArray &help,
        std::vector<double> buckets = {});
    /// Adds `delta` to a counter (or gauge) series, creating it at 0 first.
    void add(const QByteArray &name, const Labels &labels, double delta);
    /// Sets a gauge series.
    void set(const QByteArray &name, const Labels &labels, double value);
    /// Observes one value of a histogram series.
    void observe(const QByteArray &name, const Labels &labels, double value);
    /// Drops every series of a family (its HELP/TYPE stay declared).
    void clear(const QByteArray &name);
    /// The value of a counter or gauge series; 0 when it does not exist.
    double value(const QByteArray &name, const Labels &labels) const;
    /// The text exposition of every family that has at least one series.
    QByteArray render() const;

private:
    struct Series
    {
        double value = 0;
        std::vector<quint64> buckets; ///< per upper bound, not cumulative
        quint64 count = 0;
        double sum = 0;
    };
    struct Family
    {
        MetricType type = MetricType::Counter;
        QByteArray help;
        std::vector<double> buckets;
        std::map<Labels, Series> series;
    };
    Series *seriesOf(const QByteArray &name, const Labels &labels);
    void renderFamily(QByteArray &out, const QByteArray &name, const Family &family) const;

    std::map<QByteArray, Family> m_families;
};

/// A number as the Go client writes it (`strconv.FormatFloat(v, 'g', -1, 64)`: `5`, `0.1`,
/// `1.234567e+06`, `+Inf`, `NaN`).
QByteArray formatMetricValue(double value);
/// A label value escaped for the text format: `\` → `\\`, `"` → `\"`, newline → `\n`.
QByteArray escapeLabelValue(const QByteArray &value);
/// A HELP text escaped for the text format: `\` → `\\`, newline → `\n`.
QByteArray escapeHelp(const QByteArray &help);

} // namespace portico::observe
