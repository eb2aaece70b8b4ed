#include "core/proxy/tcp_service.h"

#include <numeric>

namespace portico::proxy {

namespace {

/// One round of smooth weighted round robin (as nginx): every step each entry gains its weight,
/// the largest current value is picked and loses the total. Weights are reduced by their common
/// divisor and the round is capped, so memory stays small for large weights.
std::vector<int> smoothSchedule(std::vector<int> weights)
{
    int divisor = 0;
    for (int w : weights)
        divisor = std::gcd(divisor, w);
    if (divisor == 0)
        return {};
    long long total = 0;
    for (int &w : weights) {
        w /= divisor;
        total += w;
    }
    constexpr long long kMaxRound = 4096;
    if (total > kMaxRound) {
        const long long sum = total;
        total = 0;
        for (int &w : weights) {
            w = w == 0 ? 0 : std::max<int>(1, int(w * kMaxRound / sum));
            total += w;
        }
    }
    std::vector<long long> current(weights.size(), 0);
    std::vector<int> schedule;
    for (long long step = 0; step < total; ++step) {
        size_t best = 0;
        for (size_t i = 0; i < weights.size(); ++i) {
            current[i] += weights[i];
            if (current[i] > current[best])
                best = i;
        }
        current[best] -= total;
        schedule.push_back(int(best));
    }
    return schedule;
}

} // namespace

std::shared_ptr<const TcpBalancer> TcpBalancer::servers(std::vector<TcpTarget> targets)
{
    auto balancer = std::make_shared<TcpBalancer>();
    balancer->m_targets = std::move(targets);
    for (size_t i = 0; i < balancer->m_targets.size(); ++i)
        balancer->m_schedule.push_back(int(i));
    return balancer;
}

std::shared_ptr<const TcpBalancer> TcpBalancer::weighted(
    const std::vector<std::pair<std::shared_ptr<const TcpBalancer>, int>> &children)
{
    auto balancer = std::make_shared<TcpBalancer>();
    std::vector<int> weights;
    for (const auto &[child, weight] : children) {
        balancer->m_children.push_back(child);
        weights.push_back(std::max(0, weight));
    }
    balancer->m_schedule = smoothSchedule(std::move(weights));
    return balancer;
}

const TcpTarget *TcpBalancer::pick() const
{
    if (m_schedule.empty())
        return nullptr;
    const quint64 turn = m_next.fetch_add(1, std::memory_order_relaxed);
    const int index = m_schedule[size_t(turn % m_schedule.size())];
    if (m_children.empty())
        return &m_targets[size_t(index)];
    return m_children[size_t(index)]->pick();
}

std::vector<const TcpTarget *> TcpBalancer::allTargets() const
{
    std::vector<const TcpTarget *> out;
    for (const TcpTarget &t : m_targets)
        out.push_back(&t);
    for (const auto &child : m_children) {
        const auto more = child->allTargets();
        out.insert(out.end(), more.begin(), more.end());
    }
    return out;
}

} // namespace portico::proxy
