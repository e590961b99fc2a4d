#pragma once
// The engine's one facade: commands in, snapshots out. The GUI and statelab-cli both drive
// the lab only through this class. No Qt here. With it at the top of engine/: lab_files.hpp
// (scenario, lesson, export and merge files), target_address.hpp (where a target is) and
// bench.hpp (raw HTTP load). They include only engine/model/ types, and the GUI and the CLI
// include nothing else of the engine (tests/unit/facade_includes.cmake checks it).
//
// Threads: commands (launch, shutdown, act, *_traffic, play, discard_run_files) run on the
// caller's thread (launch and node actions block for at most a few seconds: call them off the
// UI thread); they take turns with the story's own thread, which carries out a played
// timeline. The reads (launched, statuses, base_url, traffic, active_users, elapsed_s, story,
// recorded, totals, summary_json, write_results, run_dir) and proceed() are safe from any
// thread at any time: what they read is guarded where the threads meet.
//
// One run clock: elapsed_s() counts from launch; events, snapshots and the timeline all read
// it. A timeline's at_s counts from the traffic's first start on it (the "start" event).
// Load runs on the load generator's threads; a snapshot timer thread publishes one Snapshot
// every interval to the snapshot handler.
#include "model/cluster_error.hpp"
#include "model/event.hpp"
#include "model/run_totals.hpp"
#include "model/scenario.hpp"
#include "model/snapshot.hpp"
#include "model/story_status.hpp"
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
    // Load from many hosts (statelab-cli run --shard I/N): this engine drives users I, I+N, ...
    // of the traffic's users and carries out the timeline's cluster actions only as shard 0.
    unsigned shard_index = 0, shard_count = 1;
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
    // Drives a cluster somebody else runs: the balancer at 127.0.0.1:`balancer_port` (loopback
    // only). Nothing is launched or probed; `settings` names the mode for the results. Starts
    // the run clock and snapshots as launch does; per-node figures come from the answers'
    // X-Served-By. Cluster actions (act, a timeline's kill ...) throw / are logged as skipped.
    void attach(const ClusterSettings& settings, std::uint16_t balancer_port);
    // Drives `scenario.target`, at `address` (resolve_target, target_address.hpp, checks
    // it is loopback unless the user allowed remote hosts). Nothing is launched; per-server
    // figures come from the target's served_by header or cookie (not known without one); the
    // timeline's node actions run the commands the scenario maps them to, their output and exit
    // status in the event.
    void attach_target(const Scenario& scenario, const TargetAddress& address);
    // Stops traffic and every process. Idempotent.
    void shutdown();
    // A new run on the cluster that is up: the traffic stopped, a fresh recorder, story record
    // and run clock (a "new run" event at 0 s). Throws ClusterError when nothing runs.
    void new_run();
    bool launched() const;

    // kill | stop | pause | resume | restart | add | remove on a process; logged as an Event.
    // Returns the affected process name. Throws ClusterError on an unknown target.
    std::string act(Action action, const std::string& target);

    void start_traffic(const TrafficSettings& traffic);
    void set_traffic(const TrafficSettings& traffic); // live; logged as a "set" Event
    void stop_traffic();
    TrafficSettings traffic() const;
    int active_users() const;

    // The run story. Starts `scenario`'s traffic now (at_s 0), carries out each timeline
    // action at its at_s on a thread of its own, and stops the traffic at duration_s; returns
    // at once. The cluster must be launched. `hold_at_s` (sorted): story times where the story
    // waits for proceed() with its clock stopped (a lesson's "Next"; the traffic goes on).
    void play(const Scenario& scenario, std::vector<double> hold_at_s = {});
    void proceed();
    StoryStatus story() const;
    // What was done so far (by play, by act and *_traffic calls alike): `base`'s cluster and
    // name, with the traffic as it first started, the timeline at its offsets from that start
    // and the duration so far. Played again, it happens at the same offsets.
    Scenario recorded(Scenario base) const;

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
