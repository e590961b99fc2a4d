#pragma once
#include <string>
#include <vector>

namespace statelab {

// statelab-cli merge DIR... --out DIR: the shards of one run added up (merge_results, lab_files.hpp).
int merge_command(const std::vector<std::string>& args);

} // namespace statelab
