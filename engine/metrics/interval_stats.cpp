#include "metrics/interval_stats.hpp"

#include <charconv>

namespace statelab {

void NodeCounters::merge(const NodeCounters& o) {
    requests += o.requests, errors += o.errors, hits += o.hits;
    misses += o.misses, created += o.created, lost += o.lost, duplicates += o.duplicates;
    expired += o.expired, header_bytes += o.header_bytes, leaked += o.leaked, stale += o.stale;
    latency.merge(o.latency);
}

NodeCounters& IntervalStats::node(std::size_t number) {
    if (number >= by_node.size()) by_node.resize(number + 1);
    return by_node[number];
}

void IntervalStats::count_lost_held_by(std::size_t holder) {
    if (holder >= lost_by_holder.size()) lost_by_holder.resize(holder + 1);
    ++lost_by_holder[holder];
}

void IntervalStats::merge(const IntervalStats& o) {
    if (o.lost_by_holder.size() > lost_by_holder.size()) lost_by_holder.resize(o.lost_by_holder.size());
    for (std::size_t i = 0; i < o.lost_by_holder.size(); ++i) lost_by_holder[i] += o.lost_by_holder[i];
    for (std::size_t i = 0; i < o.by_node.size(); ++i)
        if (!o.by_node[i].empty()) node(i).merge(o.by_node[i]);
    total.merge(o.total);
    failures += o.failures;
}

std::size_t node_number(std::string_view served_by) {
    constexpr std::string_view prefix = "node-";
    if (!served_by.starts_with(prefix)) return 0;
    std::size_t n = 0;
    auto digits = served_by.substr(prefix.size());
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    return ec == std::errc{} && end == digits.data() + digits.size() ? n : 0;
}

} // namespace statelab
