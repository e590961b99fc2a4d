#pragma once
// `statelab-cli validate SCENARIO.json` (DESIGN.md, "Command lines").
#include <filesystem>
#include <iosfwd>

namespace statelab {

// Prints "ok: <name> (<mode>, N nodes, D s, K timeline actions)" on `out` and returns 0, or one
// line "statelab-cli: <file>:<line>: field '<path>': <what>" on `err` and returns 2.
int validate_command(const std::filesystem::path& file, std::ostream& out, std::ostream& err);

} // namespace statelab
