#pragma once
// Reads scenario files (DESIGN.md, "Scenario file") into a validated Scenario, or one error line
// that names the field and its line, because `statelab-cli validate` and the GUI show exactly
// that line to a user who has to fix the file.
#include "model/scenario.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace statelab {

struct ScenarioResult {
    std::optional<Scenario> scenario; // set on success: all defaults applied, timeline sorted
    std::string error; // on failure, one line: "<source>:<line>: field '<path>': <what>"

    bool ok() const { return scenario.has_value(); }
    explicit operator bool() const { return ok(); }
};

// `source_name` prefixes error lines (a file name; "<scenario>" for text that has none).
ScenarioResult parse_scenario(std::string_view json_text,
                              std::string_view source_name = "<scenario>");

// Reads and parses a file; errors are prefixed with the path as given.
ScenarioResult load_scenario_file(const std::filesystem::path& file);

} // namespace statelab
