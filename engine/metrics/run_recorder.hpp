#pragma once
// Everything a run leaves behind: whole-run totals for summary.json and one row per interval
// per node for timeseries.csv (DESIGN.md, "summary.json"). Fed one snapshot at a time.
#include "metrics/interval_stats.hpp"
#include "metrics/series_spool.hpp"
#include "model/snapshot.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace statelab {

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

class RunRecorder {
public:
    // `interval` also carries the latency of the interval (the snapshot holds only quantiles).
    void add(const Snapshot& snapshot, const IntervalStats& interval);
    const RunTotals& totals() const { return m_totals; }
    // A run against somebody else's system: summary.json's "target" says which, and where the
    // per-server figures came from ("header X-Served-By", "cookie SRV", or "not known").
    void set_target(std::string url, std::string served_by) { m_target = {std::move(url), std::move(served_by)}; }

    std::string summary_json(const std::string& scenario_name, const std::string& mode) const;
    // summary.json's and timeseries.csv's text, taken while the run is held still (the engine's
    // lock); written after, without it (write_run_files).
    struct Files {
        std::string summary_json;
        SeriesSpool::View timeseries; // timeseries.csv's rows, without the header
    };
    Files files(const std::string& scenario_name, const std::string& mode) const;

    static constexpr const char* csv_header = "t_s,node,requests,errors,hits,misses,lost,p50_ms,p99_ms,moved,duplicates,expired,leaked,stale";

private:
    NodeTotals& node(const std::string& name);
    RunTotals m_totals;
    SeriesSpool m_series; // timeseries.csv's rows: bounded memory however long the run
    std::pair<std::string, std::string> m_target; // url, served_by; empty: the lab's own cluster
};

// Writes DIR/summary.json and DIR/timeseries.csv; throws std::runtime_error on I/O errors.
void write_run_files(const std::filesystem::path& dir, const RunRecorder::Files& files);

} // namespace statelab
