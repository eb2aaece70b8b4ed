#pragma once

#include <vector>

namespace portico::service {

/// Upper bound of a schedule's length: weights whose reduced sum exceeds it are scaled down
/// (each positive weight keeps at least one slot), so memory stays small whatever is configured.
inline constexpr int kMaxScheduleLength = 4096;

/// One cycle of nginx's smooth weighted round robin over `weights`, as indexes into `weights`.
/// Weights are first divided by their gcd; entries with weight 0 never appear; empty when no
/// weight is positive. Example: {5, 1, 1} → a a b a c a a.
std::vector<int> buildSchedule(const std::vector<int> &weights, int maxLength = kMaxScheduleLength);

} // namespace portico::service
