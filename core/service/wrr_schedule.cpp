#include "core/service/wrr_schedule.h"

#include <QtGlobal>

#include <algorithm>
#include <numeric>

namespace portico::service {

namespace {

/// Divides by the gcd, then scales down proportionally when the cycle would be too long.
std::vector<qint64> reducedWeights(const std::vector<int> &weights, int maxLength)
{
    qint64 divisor = 0;
    for (int w : weights)
        divisor = w > 0 ? std::gcd(divisor, qint64(w)) : divisor;
    std::vector<qint64> reduced;
    qint64 total = 0;
    for (int w : weights) {
        reduced.push_back(w > 0 ? w / divisor : 0);
        total += reduced.back();
    }
    if (total <= maxLength)
        return reduced;
    for (qint64 &w : reduced)
        w = w > 0 ? std::max<qint64>(1, w * maxLength / total) : 0;
    return reduced;
}

} // namespace

std::vector<int> buildSchedule(const std::vector<int> &weights, int maxLength)
{
    const std::vector<qint64> reduced = reducedWeights(weights, maxLength);
    const qint64 total = std::accumulate(reduced.begin(), reduced.end(), qint64(0));
    std::vector<qint64> current(reduced.size(), 0);
    std::vector<int> schedule;
    schedule.reserve(size_t(total));
    // nginx ngx_http_upstream_get_peer: every peer gains its weight, the largest current value
    // wins (first on ties) and pays the total back, which interleaves heavy peers smoothly.
    for (qint64 slot = 0; slot < total; ++slot) {
        int best = -1;
        for (size_t i = 0; i < reduced.size(); ++i) {
            if (reduced[i] == 0)
                continue;
            current[i] += reduced[i];
            if (best < 0 || current[i] > current[size_t(best)])
                best = int(i);
        }
        current[size_t(best)] -= total;
        schedule.push_back(best);
    }
    return schedule;
}

} // namespace portico::service
