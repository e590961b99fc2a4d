#pragma once
// Everything a run leaves behind: whole-run totals for summary.json and one row per interval
// per node for timeseries.csv (DESIGN.md, "summary.json"; the values: model/run_totals.hpp). Fed
// one snapshot at a time.
#include "metrics/interval_stats.hpp"
#include "metrics/series_spool.hpp"
#include "model/run_totals.hpp"
#include "model/snapshot.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace statelab {

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

private:
    NodeTotals& node(const std::string& name);
    RunTotals m_totals;
    SeriesSpool m_series; // timeseries.csv's rows: bounded memory however long the run
    std::pair<std::string, std::string> m_target; // url, served_by; empty: the lab's own cluster
};

// Writes DIR/summary.json and DIR/timeseries.csv; throws std::runtime_error on I/O errors.
void write_run_files(const std::filesystem::path& dir, const RunRecorder::Files& files);

} // namespace statelab
