#include "cli/run_command.hpp"

#include "cli/cli_options.hpp"
#include "cli/headless_run.hpp"
#include "scenario/scenario_parser.hpp"

namespace statelab {

int run_command(const std::vector<std::string>& args) {
    std::string scenario_path, out_dir;
    double duration_override = 0;
    unsigned threads = 0;
    po::options_description options("run options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("scenario", po::value(&scenario_path)->required(), "scenario file (JSON)")
        ("out", po::value(&out_dir)->required(), "directory for summary.json and timeseries.csv")
        ("duration", po::value(&duration_override)->default_value(0), "seconds, overriding the scenario's duration_s (0 = keep)")
        ("threads", po::value(&threads)->default_value(0), "load generator threads (0 = one per core)");
    po::positional_options_description positional;
    positional.add("scenario", 1);
    po::variables_map vm;
    parse_subcommand(args, options, vm,
                     "usage: statelab-cli run SCENARIO.json --out DIR [--duration S]\n"
                     "Launches the scenario's cluster, drives its traffic and timeline, writes DIR/summary.json\n"
                     "and DIR/timeseries.csv. Ctrl-C stops early and still writes the results.",
                     &positional);

    ScenarioResult parsed = load_scenario_file(scenario_path);
    if (!parsed) cli_usage_error(parsed.error);
    Scenario scenario = *parsed.scenario;
    if (duration_override < 0 || duration_override > 86400) cli_usage_error("--duration must be 0..86400 seconds");
    if (duration_override > 0) scenario.duration_s = duration_override;

    return run_headless(scenario, out_dir, threads).exit_code;
}

} // namespace statelab
