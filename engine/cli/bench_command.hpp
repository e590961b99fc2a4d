#pragma once
#include <string>
#include <vector>

namespace statelab {

// statelab-cli bench --url http://127.0.0.1:PORT/path --connections C --duration S
int bench_command(const std::vector<std::string>& args);

} // namespace statelab
