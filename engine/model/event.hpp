#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace statelab {

// Something that happened to the cluster or the traffic, at a time on the run's clock.
struct Event {
    double t_s = 0;
    std::string action; // kill, stop, pause, resume, restart, add, remove, set, launch, error...
    std::string target; // process name, or "traffic" for set
    std::string detail; // e.g. "users 300 -> 600", or an error message
    std::uint64_t lost = 0;  // sessions this event lost, so far (summary.json; see LossAttribution)
    std::uint64_t moved = 0; // ... of which the balancer moved away from a node that stayed up
    double duration_s = 0;   // an outage's length (store-back: from the blow to the first good write)
    // A node action run as a command (a scenario's "actions"): the command's exit status (-1:
    // killed at the time limit). Its output is in `detail`.
    std::optional<int> exit_status;
};

// Sessions lost in one interval because of the run's event number `event_index` (its place in
// the run's events, in the order they were logged).
struct EventLoss {
    std::size_t event_index = 0;
    std::string action, target;
    std::uint64_t lost = 0;
    // The holder was not the event's target: the balancer moved its user away (a re-hash).
    bool moved = false;
    std::size_t holder = 0; // the node number whose memory held the sessions (0: none, or the store)
};

} // namespace statelab
