#pragma once
// `statelab-cli validate SCENARIO.json` (DESIGN.md, "Command lines").
#include "model/scenario.hpp"

#include <filesystem>
#include <iosfwd>
#include <string>

namespace statelab {

// A target driven by a built-in journey: what that journey expects there (the lab's shop), said
// by validate and when a run starts. Empty for the lab's own cluster or a declared journey.
std::string builtin_journey_note(const Scenario& scenario);

// Prints "ok: <name> (<mode>, N nodes, D s, K timeline actions)" on `out` and returns 0, or one
// line "statelab-cli: <file>:<line>: field '<path>': <what>" on `err` and returns 2.
int validate_command(const std::filesystem::path& file, std::ostream& out, std::ostream& err);

} // namespace statelab
