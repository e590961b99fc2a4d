#pragma once
// The engine's one facade: commands in, snapshots out. The GUI and statelab-cli both drive
// the lab only through this class. No Qt here.
//
// Threads: commands (launch, shutdown, act, *_traffic, discard_run_files) run on the caller's
// thread (launch and node actions block for at most a few seconds: call them off the UI
// thread) and must all come from one thread at a time. The reads (launched, statuses,
// base_url, traffic, active_users, elapsed_s, totals, summary_json, write_results, run_dir)
// are safe from any thread at any time: what they read is guarded where the threads meet.
// Load runs on the load generator's threads; a snapshot timer thread publishes one Snapshot
// every interval to the snapshot handler.
#include "cluster/supervisor.hpp"
#include "metrics/run_recorder.hpp"
#include "model/event.hpp"
#include "model/scenario.hpp"
#include "model/snapshot.hpp"
#include "model/traffic.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace statelab {

struct EngineConfig {
    std::filesystem::path bin_dir;   // empty: the running executable's directory
    std::filesystem::path run_dir;   // empty: a new directory under $TMPDIR, removed with the engine
    unsigned load_threads = 0;       // 0: one per core
    std::chrono::milliseconds interval{250};
};

// The cluster part of a scenario.
class Engine {
public:
    explicit Engine(EngineConfig config = {});
    ~Engine(); // stops traffic and the cluster: no process is left behind
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Starts the cluster and waits until every process is ready. Throws ClusterError (with a
    // clear message) and leaves nothing running on failure. Starts the run clock and snapshots.
    void launch(const ClusterSettings& settings, const std::function<void(const std::string&)>& progress = {});
    // Stops traffic and every process. Idempotent.
    void shutdown();
    bool launched() const;

    // kill | stop | pause | resume | restart | add | remove on a process; logged as an Event.
    // Returns the affected process name. Throws ClusterError on an unknown target.
    std::string act(Action action, const std::string& target);

    void start_traffic(const TrafficSettings& traffic);
    void set_traffic(const TrafficSettings& traffic); // live; logged as a "set" Event
    void stop_traffic();
    TrafficSettings traffic() const;
    int active_users() const;

    // Called on the snapshot thread every interval. Set before launch.
    void set_snapshot_handler(std::function<void(const Snapshot&)> handler);

    std::vector<NodeStatus> statuses() const;
    double elapsed_s() const; // the run clock: seconds since launch completed
    std::string base_url() const;
    const std::filesystem::path& run_dir() const;
    // Removes what the last cluster left in run_dir() (logs, the Redis password, the token
    // secret) when the engine made that directory itself; call after shutdown(). A directory
    // given in EngineConfig (statelab-cli's DIR/logs) is the caller's and stays.
    void discard_run_files();
    // Whole-run totals and the per-interval rows, so far.
    RunTotals totals() const;
    // summary.json's text, so far (DESIGN.md, "summary.json").
    std::string summary_json(const std::string& scenario_name) const;
    // Writes DIR/summary.json and DIR/timeseries.csv.
    void write_results(const std::filesystem::path& dir, const std::string& scenario_name) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace statelab
