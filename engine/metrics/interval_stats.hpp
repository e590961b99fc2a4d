#pragma once
// Counters for one snapshot interval, kept per load thread and merged at snapshot time (the
// way wrk keeps per-thread statistics): no shared counter is touched per request.
#include "model/latency_histogram.hpp"
#include "model/snapshot.hpp"

#include <mutex>
#include <string_view>
#include <vector>

namespace statelab {

struct NodeCounters {
    std::uint64_t requests = 0, errors = 0, hits = 0, misses = 0, created = 0, lost = 0;
    std::uint64_t duplicates = 0; // items a cart showed twice that the user added once
    std::uint64_t expired = 0;    // sessions gone after their user idled past the TTL
    std::uint64_t leaked = 0;     // carts shown to a user they never belonged to
    std::uint64_t stale = 0;      // carts older than one their user had been shown
    std::uint64_t header_bytes = 0; // HTTP header bytes both ways of the answered requests
    LatencyHistogram latency;

    void merge(const NodeCounters& o);
    bool empty() const { return requests == 0 && errors == 0 && lost == 0; }
};

struct IntervalStats {
    // Indexed by node number: "node-3" -> 3. Index 0 gathers answers with no or another
    // X-Served-By (the balancer's own 502/503, HAProxy errors).
    std::vector<NodeCounters> by_node;
    NodeCounters total;
    FailureCounts failures;
    // The lost sessions of this interval by the node that held them (the last node that served
    // the user's session), indexed like by_node; 0 = not known. A 401 comes from the node the
    // user lands on now: this says whose memory the session was in.
    std::vector<std::uint64_t> lost_by_holder;

    NodeCounters& node(std::size_t number);
    void count_lost_held_by(std::size_t holder);
    void merge(const IntervalStats& o);
};

// "node-12" -> 12; anything else -> 0.
std::size_t node_number(std::string_view served_by);

// One load thread's stats. The thread updates under an uncontended lock; the snapshot timer
// takes the whole interval out four times a second.
class ThreadStats {
public:
    template <typename Fn> void update(Fn&& fn) {
        std::lock_guard lock(m_mutex);
        fn(m_current);
    }
    IntervalStats take() {
        std::lock_guard lock(m_mutex);
        IntervalStats out = std::move(m_current);
        m_current = IntervalStats{};
        return out;
    }

private:
    std::mutex m_mutex;
    IntervalStats m_current;
};

} // namespace statelab
