#pragma once
#include <string>
#include <vector>

namespace statelab {

// statelab-cli lesson --list | lesson NAME --out DIR (DESIGN.md, "Command lines").
int lesson_command(const std::vector<std::string>& args);

} // namespace statelab
