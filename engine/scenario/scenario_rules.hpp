#pragma once
// The scenario file's rules (DESIGN.md, "Scenario file"), separate from text handling so the
// rules read as one list. Internal to engine/scenario: use parse_scenario (lab_files.hpp).
#include "model/scenario.hpp"

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace statelab {

// A rule broken at `path` ("traffic.users", "timeline[1].target"); the parser adds the line.
struct FieldError {
    std::string path;
    std::string message;
};

// Throws FieldError on the first broken rule. Timeline entries keep their file index in error
// paths, although the result's timeline is sorted by at_s.
Scenario scenario_from_json(const nlohmann::json& root);

} // namespace statelab
