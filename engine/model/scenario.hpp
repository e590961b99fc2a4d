#pragma once
// A scenario file (DESIGN.md, "Scenario file"): the cluster, the traffic, the timeline.
#include "model/action.hpp"
#include "model/cluster_settings.hpp"
#include "model/target.hpp"
#include "model/traffic.hpp"

#include <optional>
#include <string>
#include <vector>

namespace statelab {

struct TimelineAction {
    double at_s = 0;
    Action action = Action::kill;
    std::string target; // process name; empty for add and set
    // `set` only: the traffic fields to change.
    std::optional<int> users;
    std::optional<double> rate;
    std::optional<int> think_ms;
    std::optional<std::string> journey;
};

// A timeline "set" applied to the current traffic settings (only the fields it names change).
// The CLI's timeline and the window's share it, so a scenario drives both the same way.
TrafficSettings apply_set(TrafficSettings traffic, const TimelineAction& action);

// The cluster's fields (mode, nodes, balancer, session_ttl_s, session_padding) are its base:
// a Scenario is a ClusterSettings wherever one is wanted.
struct Scenario : ClusterSettings {
    std::string name = "untitled";
    TrafficSettings traffic;
    double duration_s = 20;
    std::vector<TimelineAction> timeline;
    // Set: nothing is launched; the users drive this system and node actions run its commands.
    std::optional<Target> target;
};

} // namespace statelab
