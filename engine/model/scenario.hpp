#pragma once
// A scenario file (DESIGN.md, "Scenario file"): the cluster, the traffic, the timeline.
#include "model/traffic.hpp"

#include <optional>
#include <string>
#include <vector>

namespace statelab {

// The most app servers a cluster may have: a scenario's `nodes`, and `add` on a running one.
inline constexpr int max_nodes = 32;

// Where sessions live and how the balancer routes (DESIGN.md, "The state strategies").
enum class Mode { sticky, sticky_ip, shared_store, client_token };

const char* mode_name(Mode mode);
// The mode keeps each session in one app server's memory (so a node's death loses them).
bool sessions_live_in_nodes(Mode mode);
std::optional<Mode> parse_mode(const std::string& text);

struct TimelineAction {
    double at_s = 0;
    std::string action; // kill stop pause resume restart add remove set
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

struct Scenario {
    std::string name = "untitled";
    Mode mode = Mode::sticky;
    int nodes = 3;
    std::string balancer = "builtin"; // "builtin" (statelab-balancer) | "haproxy"
    int session_ttl_s = 1800;
    int session_padding = 0;
    TrafficSettings traffic;
    double duration_s = 20;
    std::vector<TimelineAction> timeline;
};

} // namespace statelab
