#pragma once
// A scenario played without a window: `statelab-cli run` and `statelab-cli lesson` share it.
// Launches the cluster, lets the engine play the story, reports on stderr once a second and at
// each event, writes DIR/summary.json and DIR/timeseries.csv, stops every process. Ctrl-C
// stops early and still writes the results.
#include "model/scenario.hpp"

#include <string>

namespace statelab {

struct HeadlessResult {
    int exit_code = 0;        // 0 done, 1 could not launch or write, 130 interrupted
    std::string summary_json; // what DIR/summary.json holds (empty when nothing ran)
};

HeadlessResult run_headless(const Scenario& scenario, const std::string& out_dir, unsigned threads);

} // namespace statelab
