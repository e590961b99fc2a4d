#pragma once
// What a run measured, as a whole (summary.json's figures; Engine::totals) and the columns of its
// timeseries.csv: what the window, statelab-cli and the kept runs read back.
#include "model/event.hpp"
#include "model/latency_histogram.hpp"
#include "model/snapshot.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace statelab {

// timeseries.csv's first line: one row per interval per node ("*": all nodes). Columns are only
// ever appended (tools, and the window's Compare, read runs kept before).
inline constexpr const char* timeseries_csv_header =
    "t_s,node,requests,errors,hits,misses,lost,p50_ms,p99_ms,moved,duplicates,expired,leaked,stale";

// A node's cumulative counter as polled, added up across its restarts (which start it at 0).
struct RestartingCounter {
    bool seen = false;
    std::int64_t last = 0, total = 0;
    void observe(std::int64_t value) {
        if (value < 0) return; // not reported
        total += value >= last ? value - last : value;
        last = value;
        seen = true;
    }
};

struct NodeTotals {
    std::string name;
    std::uint64_t requests = 0;
    std::int64_t sessions_peak = 0;
    std::int64_t state_bytes_peak = 0; // the most bytes of session state it held
    RestartingCounter copies_sent, copies_failed, taken_over; // replicated mode
    RestartingCounter cache_hits, cache_misses;               // sticky-cached
};

struct RunTotals {
    double duration_s = 0;
    std::uint64_t requests = 0;
    FailureCounts failures;
    std::uint64_t created = 0, hits = 0, misses = 0, lost = 0;
    std::uint64_t moved = 0; // of the lost: moved by the balancer away from a node that stayed up
    std::uint64_t duplicates = 0; // items applied twice (see NodeSample::duplicates)
    std::uint64_t expired = 0;    // sessions expired after an idle past the TTL (not lost)
    std::uint64_t leaked = 0;     // carts shown to somebody else (see NodeSample::leaked)
    std::uint64_t stale = 0;      // stale reads (see NodeSample::stale)
    std::uint64_t header_bytes = 0; // HTTP header bytes both ways, answered requests
    LatencyHistogram latency;
    std::vector<NodeTotals> per_node; // in order of first appearance
    std::vector<Event> events;
    // Load imbalance (busiest node / mean of the nodes up) over the intervals with traffic.
    double imbalance_max = 0, imbalance_sum = 0;
    std::uint64_t imbalance_intervals = 0;
    double imbalance_mean() const { return imbalance_intervals ? imbalance_sum / static_cast<double>(imbalance_intervals) : 0; }
};

} // namespace statelab
