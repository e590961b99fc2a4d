#pragma once
// What the engine drives, chosen once when a run begins (docs/architecture.md, "What the engine
// drives"): the lab's own cluster (LaunchedCluster), a balancer somebody else runs
// (AttachedBalancer) or a declared target (DrivenTarget). The engine asks it where the traffic
// goes, which servers a snapshot shows and how a node action is carried out; it never asks
// which kind it is.
#include "common/http_types.hpp"
#include "metrics/balancer_watch.hpp"
#include "metrics/interval_stats.hpp"
#include "metrics/server_names.hpp"
#include "metrics/store_watcher.hpp"
#include "model/action.hpp"
#include "model/cluster_settings.hpp"
#include "model/event.hpp"
#include "model/node_status.hpp"
#include "model/target.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace statelab {

class RunRecorder;

// What a node action did, whole: the engine logs it as one finished event.
struct ActOutcome {
    std::string affected;           // the process or server it touched (the new node's for add)
    std::string detail;             // what it said (a command's output); empty for the lab's own
    std::optional<int> exit_status; // a command's (-1: killed at its time limit)
    // Put at the moment it was asked for (a command may run for long); otherwise at the moment it
    // was done (a restart is logged once the node is ready).
    bool at_issue = false;
};

// The opening event of a run on a cluster (launched or attached): "sticky, 3 nodes".
inline Event cluster_opening(EventKind kind, const ClusterSettings& settings) {
    Event event;
    event.kind = kind, event.target = "cluster";
    event.detail = std::string(mode_name(settings.mode)) + ", " + std::to_string(settings.nodes) + " nodes";
    return event;
}

class DrivenSystem {
public:
    virtual ~DrivenSystem() = default;

    // Where the traffic goes, and the Host it carries (empty: the lab's own "statelab").
    virtual tcp::endpoint endpoint() const = 0;
    virtual std::string host() const { return {}; }
    virtual std::string base_url() const = 0;
    // How the load generator tells which server answered: the header or cookie, and whether the
    // names are the lab's own node-N.
    virtual ValueSource served_by() const { return lab_served_by; }
    virtual bool lab_names() const { return true; }
    // The run's first event (its time is the engine's to set) and what the results say of it.
    virtual Event opening_event(const ClusterSettings& settings) const = 0;
    virtual void describe(RunRecorder&) const {}
    virtual std::string shutdown_detail() const = 0;
    // An action's name in "actions" -> the name its server answers with (they may differ).
    virtual std::string served_name(const std::string& action_name) const { return action_name; }

    // The processes the lab runs (none when it runs none): the facade's statuses().
    virtual std::vector<NodeStatus> processes() const { return {}; }
    // What one snapshot shows: the processes, or the servers the answers named (`interval`'s
    // per-server counts; `sending`: the traffic runs; `now_s`: the run clock). Called on the
    // snapshot thread only.
    virtual std::vector<NodeStatus> snapshot_statuses(const IntervalStats& interval, const ServerNames& names,
                                                      double now_s, bool sending) = 0;
    // The lab polls these servers' /metrics (sessions held, memory): its own nodes only.
    virtual std::vector<std::pair<std::string, std::uint16_t>> polled_ports() const { return {}; }
    virtual bool nodes_polled() const { return false; }
    // The answers name their server (false: a target without served_by: "not known").
    virtual bool servers_known() const { return true; }

    // Why a timeline's node action is only logged here (empty: it is carried out).
    virtual std::string skip_reason(Action) const { return {}; }
    // Carries out a node action and returns the process it affects (the new node's for add);
    // `done` gets the whole outcome, at once or later from another thread (a command). Throws
    // ClusterError (a clear message) when it cannot, before anything was done.
    virtual std::string act(Action action, const std::string& target, std::function<void(ActOutcome)> done) = 0;
    // Whatever act() started and still runs ends now (commands and what they left behind).
    virtual void end_actions() {}

    // The balancer's own view (which backends it takes as up) and the store's primary, where
    // the lab can read them.
    virtual std::unique_ptr<BalancerWatch> watch_balancer() const { return nullptr; }
    virtual std::unique_ptr<StoreWatcher> watch_store(Mode) const { return nullptr; }

    // Stops what the lab started for it (nothing for somebody else's system). Idempotent.
    virtual void shutdown() {}
};

} // namespace statelab
