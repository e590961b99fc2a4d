#include "cli/merge_command.hpp"

#include "cli/cli_options.hpp"
#include "lab_files.hpp"

#include <cstdio>
#include <iostream>

namespace statelab {

int merge_command(const std::vector<std::string>& args) {
    std::vector<std::string> inputs;
    std::string out_dir;
    po::options_description options("merge options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("inputs", po::value(&inputs)->multitoken()->required(), "the shards' result directories (statelab-cli run --shard I/N --out DIR)")
        ("out", po::value(&out_dir)->required(), "directory for the merged summary.json, timeseries.csv, latency_histogram.json");
    po::positional_options_description positional;
    positional.add("inputs", -1);
    po::variables_map vm;
    parse_subcommand(args, options, vm,
                     "usage: statelab-cli merge DIR... --out DIR\n"
                     "Adds up the partial results of the N shards of one run (all of 0..N-1, one scenario) into\n"
                     "the summary.json and timeseries.csv a single run writes. Counts add; the latency percentiles\n"
                     "come from the merged histograms (exact); rows align on each shard's traffic start. A row's\n"
                     "p50_ms/p99_ms is the largest of the shards' (an upper bound: quantiles of a sum cannot be\n"
                     "made from quantiles); load.imbalance_mean is request-weighted; each event says its \"shard\".",
                     &positional);
    std::vector<std::filesystem::path> dirs(inputs.begin(), inputs.end());
    if (const std::string problem = merge_results(dirs, out_dir); !problem.empty()) {
        std::cerr << "statelab-cli: merge: " << problem << "\n";
        return 1;
    }
    std::printf("merged %zu shards: %s/summary.json and %s/timeseries.csv\n", dirs.size(), out_dir.c_str(), out_dir.c_str());
    return 0;
}

} // namespace statelab
