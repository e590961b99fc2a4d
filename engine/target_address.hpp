#pragma once
// Before the engine drives a system somebody else runs (Engine::attach_target): where the
// scenario's "target" is, checked against the lab's rule (traffic goes to loopback addresses
// only, unless the user said --allow-remote), and whether anything answers there. Part of the
// engine's facade (engine.hpp); defined in cluster/target_address.cpp.
#include "model/target.hpp"

#include <chrono>
#include <string>

namespace statelab {

// Throws ClusterError (one line naming the host) when the host does not resolve, or resolves to
// an address outside 127.0.0.0/8 (or ::1) and `allow_remote` is false.
TargetAddress resolve_target(const Target& target, bool allow_remote);

// One GET / before the traffic: empty when anything answers HTTP at the address (any status),
// else what went wrong ("Connection refused", "no answer within 3000 ms").
std::string target_answer_problem(const Target& target, const TargetAddress& address,
                                  std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

} // namespace statelab
