#pragma once
// The rules of a scenario that drives somebody else's system: "target", "actions" and a
// journey declared in "traffic.journey". Internal to engine/scenario.
#include "model/scenario.hpp"

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace statelab {

// traffic.journey as an object: { "steps": [...], "lost_status": [401] }. Throws FieldError.
DeclaredJourneyPtr read_declared_journey(const nlohmann::json& value, const std::string& path);
// "target" and the root's "actions" (may be null). Throws FieldError.
Target read_target(const nlohmann::json& target, const nlohmann::json* actions);
// A timeline entry against a target: its target and verb must be mapped to a command.
void check_target_action(const TimelineAction& action, const std::string& path, const Target& target);

} // namespace statelab
