#pragma once
// What happened, typed: the window, the card, the CLI and Compare ask an event's kind, never its
// text. The text ("kill", "stop", "down", ...) is only how summary.json and the CLI write it
// (event_action_name) and how a kept run's events are read back (parse_event).
#include "model/action.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace statelab {

enum class EventKind : std::uint8_t {
    launch,         // the lab launched its cluster (target "cluster")
    attach,         // the engine attached to a running balancer ("cluster") or a target ("target")
    new_run,        // traffic again on the same cluster after a kept run
    shutdown,       // the cluster stopped or the engine detached
    traffic_start,  // target "traffic"
    traffic_set,    // a change of the traffic's settings, target "traffic"
    traffic_stop,   // target "traffic"
    node_action,    // Event::action done to (or skipped, or failed on) the target
    failover,       // the sentinels promoted the target to primary
    store_back,     // the store takes writes again (duration_s: the outage)
    balancer_down,  // the balancer took the target out on its own
    balancer_up,    // ... and back
    balancer_full,  // the balancer holds as many connections as it takes
    balancer_moved, // the balancer sent requests for the target, still up, to another node
                    // (HAProxy's option redispatch after a connect to it failed)
};

// Something that happened to the cluster or the traffic, at a time on the run's clock.
struct Event {
    double t_s = 0;
    EventKind kind = EventKind::node_action;
    Action action = Action::kill; // what was done to the target: node_action only
    std::string target;           // process name, "traffic", "cluster", "store", "balancer"
    std::string detail;           // e.g. "users 300 -> 600", or an error message
    std::uint64_t lost = 0;  // sessions this event lost, so far (summary.json; see LossAttribution)
    std::uint64_t moved = 0; // ... of which the balancer moved away from a node that stayed up
    double duration_s = 0;   // an outage's length (store-back: from the blow to the first good write)
    // A node action run as a command (a scenario's "actions"): the command's exit status (-1:
    // killed at the time limit). Its output is in `detail`.
    std::optional<int> exit_status;
};

inline bool is_node_action(const Event& event, Action action) {
    return event.kind == EventKind::node_action && event.action == action;
}

// The one name table: the word summary.json's "action" and the CLI's log give the event (a node
// action's own name; "start", "set", "stop" for the traffic's).
const char* event_action_name(EventKind kind, Action action);
inline const char* event_action_name(const Event& event) { return event_action_name(event.kind, event.action); }
// An event read back from its written words (a kept run's summary.json). "set" and "stop" are
// the traffic's with target "traffic", node actions otherwise (the words alone cannot tell a
// part of somebody's system called "traffic" from the traffic). Nothing for a word no event is
// written with.
std::optional<Event> parse_event(std::string_view action, std::string target);

// Sessions lost in one interval because of the run's event number `event_index` (its place in
// the run's events, in the order they were logged).
struct EventLoss {
    std::size_t event_index = 0;
    EventKind kind = EventKind::node_action; // the event's, as in Event
    Action action = Action::kill;
    std::string target;
    std::uint64_t lost = 0;
    // The holder was not the event's target: the balancer moved its user away (a re-hash).
    bool moved = false;
    std::size_t holder = 0; // the node number whose memory held the sessions (0: none, or the store)
};

} // namespace statelab
