#pragma once
#include <string>
#include <vector>

namespace statelab {

// statelab-cli run SCENARIO.json --out DIR [--duration S]
int run_command(const std::vector<std::string>& args);

} // namespace statelab
