// libFuzzer: a scenario file's text. The parser and validator return a scenario or one error
// line naming the place; never a crash, a hang or an exception, whatever the JSON.
#include "lab_files.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace statelab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const ScenarioResult result = parse_scenario(text, "fuzz.json");
    if (!result && result.error.empty()) std::abort();        // a refusal always says why
    if (!result && result.error.find('\n') != std::string::npos) std::abort(); // in one line
    if (result && (result.scenario->nodes < 1 || result.scenario->nodes > max_nodes)) std::abort();
    return 0;
}
