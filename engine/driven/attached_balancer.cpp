#include "driven/attached_balancer.hpp"

#include "cluster/supervisor.hpp"

namespace statelab {

Event AttachedBalancer::opening_event(const ClusterSettings& settings) const {
    return cluster_opening(EventKind::attach, settings);
}

std::string AttachedBalancer::skip_reason(Action action) const {
    return action == Action::set ? std::string() : "skipped: attached to a balancer somebody else runs";
}

std::string AttachedBalancer::act(Action, const std::string&, std::function<void(ActOutcome)>) {
    throw ClusterError("attached to a balancer somebody else runs: no cluster actions");
}

} // namespace statelab
