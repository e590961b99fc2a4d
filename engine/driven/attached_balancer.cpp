#include "driven/attached_balancer.hpp"

#include "cluster/supervisor.hpp"

namespace statelab {

Event AttachedBalancer::opening_event(const ClusterSettings& settings) const {
    Event event;
    event.kind = EventKind::attach, event.target = "cluster";
    event.detail = std::string(mode_name(settings.mode)) + ", " + std::to_string(settings.nodes) + " nodes";
    return event;
}

std::string AttachedBalancer::skip_reason(Action action) const {
    return action == Action::set ? std::string() : "skipped: attached to a balancer somebody else runs";
}

std::string AttachedBalancer::act(Action, const std::string&, std::function<void(ActOutcome)>) {
    throw ClusterError("attached to a balancer somebody else runs: no cluster actions");
}

} // namespace statelab
