#pragma once
#include <string>
#include <vector>

namespace statelab {

// statelab-cli export-config SCENARIO.json --out DIR
int export_command(const std::vector<std::string>& args);

} // namespace statelab
