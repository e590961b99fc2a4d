#pragma once
// A scenario played without a window: `statelab-cli run` and `statelab-cli lesson` share it.
// Launches the cluster, lets the engine play the story, reports on stderr once a second and at
// each event, writes DIR/summary.json and DIR/timeseries.csv, stops every process. Ctrl-C
// stops early and still writes the results.
#include "model/scenario.hpp"

#include <cstdint>
#include <string>

namespace statelab {

struct HeadlessResult {
    int exit_code = 0;        // 0 done, 1 could not launch or write, 130 interrupted
    std::string summary_json; // what DIR/summary.json holds (empty when nothing ran)
};

struct HeadlessOptions {
    unsigned threads = 0;               // load generator threads, 0 = one per core
    unsigned shard_index = 0, shard_count = 1; // --shard I/N: count > 1 writes a partial result
    std::uint16_t balancer_port = 0;    // --balancer-url: drive that balancer, launch nothing
    bool allow_remote = false;          // --allow-remote: a scenario's target may be off this machine
};

HeadlessResult run_headless(const Scenario& scenario, const std::string& out_dir, const HeadlessOptions& options);

} // namespace statelab
