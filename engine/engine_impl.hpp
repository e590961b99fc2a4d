#pragma once
// The engine's inside, shared by its source files (engine.cpp: commands and the story;
// engine_snapshot.cpp: the snapshot loop; what it drives is a DrivenSystem, driven/). Not part
// of the facade: nothing outside engine/ includes it.
#include "engine.hpp"

#include "load/load_generator.hpp"
#include "metrics/loss_attribution.hpp"
#include "cluster/cluster_plan.hpp"
#include "driven/driven_system.hpp"
#include "metrics/node_poller.hpp"
#include "metrics/run_recorder.hpp"
#include "metrics/balancer_watch.hpp"
#include "metrics/store_watcher.hpp"
#include "metrics/traffic_clock.hpp"
#include "story/run_recording.hpp"
#include "story/timeline_player.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>

namespace statelab {

using Clock = std::chrono::steady_clock;

struct Engine::Impl {
    EngineConfig config;
    bool owns_run_dir = false; // made by the engine under $TMPDIR: removed by it too
    // What the engine drives (docs/architecture.md), chosen once by launch / attach /
    // attach_target and dropped by shutdown. Set and reset by the command thread under `mutex`;
    // read from any thread through system(), which hands out a reference that keeps it alive.
    std::shared_ptr<DrivenSystem> driven;
    std::unique_ptr<LoadGenerator> load;
    ClusterSettings cluster;

    // One per launch: the snapshot timer and the /metrics poller on their own thread. Made new
    // for every run and destroyed with it, so nothing of a run (a pending timer, a poll answer)
    // can tick into the next one.
    struct SnapshotClock {
        std::unique_ptr<NodePoller> poller; // destroyed after the context and its coroutines
        asio::io_context context{1};
        asio::executor_work_guard<asio::io_context::executor_type> guard{context.get_executor()};
        std::thread thread;
        SnapshotClock() { poller = std::make_unique<NodePoller>(context.get_executor()); }
        ~SnapshotClock() { stop(); }
        void stop() {
            guard.reset();
            context.stop();
            if (thread.joinable()) thread.join();
        }
    };
    std::unique_ptr<SnapshotClock> clock;
    std::unique_ptr<StoreWatcher> store_watcher; // shared-store-ha: who is primary now
    std::string store_primary;                   // ... as the last snapshot said
    std::unique_ptr<BalancerWatch> balancer_watch; // which nodes the lab's balancer takes as up
    std::string outage_cause;                    // "kill redis": the blow the outage watch times
    std::function<void(const Snapshot&)> handler;

    // The commands take turns: the caller's thread and the story's. Never held while the story
    // thread is joined (it may be waiting for it).
    std::mutex commands;
    TimelinePlayer story;

    mutable std::mutex mutex; // events, recorder, recording, clock, driven, cluster
    RunRecording recording;
    std::vector<Event> pending_events;
    RunRecorder recorder;
    LossAttribution attribution;
    TrafficClock traffic_clock;
    Clock::time_point started{};
    std::atomic<bool> running{false};
    std::uint64_t ticks = 0;

    std::shared_ptr<DrivenSystem> system() const {
        std::lock_guard lock(mutex);
        return driven;
    }
    Mode mode() const {
        std::lock_guard lock(mutex);
        return cluster.mode;
    }
    double now_s() const {
        return started == Clock::time_point{} ? 0.0 : std::chrono::duration<double>(Clock::now() - started).count();
    }
    // Logs the event, whole (a command's exit status too: the snapshot thread may take the
    // pending events at any moment), at `at_s` (when it was asked for) or now; `record` notes it
    // in the run's recording at the same clock reading.
    void log_event(Event event, const std::function<void(double)>& record = {}, std::optional<double> at_s = {}) {
        std::lock_guard lock(mutex);
        event.t_s = at_s.value_or(now_s());
        if (record) record(event.t_s);
        pending_events.push_back(std::move(event));
    }
    std::string act(Action action, const std::string& target);
    // "held 250 sessions": what a process held when an action emptied its memory (nothing when
    // the lab does not poll its servers).
    std::string held_before(Action action, const std::string& target) const;
    void begin_run(std::shared_ptr<DrivenSystem> system, const ClusterSettings& settings);
    std::string skip_reason(const TimelineAction& action) const;
    void start_traffic(const TrafficSettings& traffic);
    void set_traffic(const TrafficSettings& traffic);
    void stop_traffic(bool record);
    void perform(const TimelineAction& action);
    std::string find_store_primary(const std::vector<NodeStatus>& processes) const;
    void note_store_events(const Snapshot& snap);
    void note_balancer_events();
    void watch_balancer();
    awaitable<void> snapshot_loop();
    void take_snapshot();
    void reset_run(); // a fresh recorder, recording, attribution and run clock
    Snapshot build_snapshot(const IntervalStats& interval);
};

} // namespace statelab
