#pragma once
// Saves a Scenario as the JSON that scenario_parser.hpp reads back (the GUI's "Save scenario").
#include "model/scenario.hpp"

#include <string>

namespace statelab {

// Pretty-printed, keys in the documented order, every setting written out (defaults included)
// so a saved file shows a user everything they can change. Ends with a newline.
std::string scenario_to_json(const Scenario& scenario);

} // namespace statelab
