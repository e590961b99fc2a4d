// statelab-cli: the lab without a window (DESIGN.md, "Command lines").
#include "cli/bench_command.hpp"
#include "cli/export_command.hpp"
#include "cli/lesson_command.hpp"
#include "cli/merge_command.hpp"
#include "cli/run_command.hpp"
#include "lab_files.hpp"

#include <iostream>
#include <string>
#include <vector>

static const char* usage =
    "usage: statelab-cli COMMAND [options]   (statelab-cli COMMAND --help for its options)\n"
    "\n"
    "  run SCENARIO.json --out DIR [--duration S]   launch the scenario's cluster, drive its traffic and\n"
    "                                               timeline; write DIR/summary.json, DIR/timeseries.csv\n"
    "      [--allow-commands] [--allow-remote]      or, with \"target\" in the scenario, drive your own system\n"
    "                                               (nothing launched; its \"actions\" commands run only\n"
    "                                               with --allow-commands, other hosts only with --allow-remote)\n"
    "  run SCENARIO.json --shard I/N --out DIR      one shard of the users (I = 0..N-1, as JOB_COMPLETION_INDEX);\n"
    "      [--balancer-url http://127.0.0.1:PORT]   with --balancer-url all shards drive one running cluster\n"
    "  merge DIR... --out DIR                       add the shards' partial results up (exact counts, histograms)\n"
    "  validate SCENARIO.json                       check a scenario file; one clear line per problem;\n"
    "                                               lists every shell command its \"actions\" would run\n"
    "  lesson --list | lesson NAME --out DIR        guided experiments: run one headless and check its\n"
    "                                               prediction (exit 1 when it does not hold)\n"
    "  bench --url http://127.0.0.1:PORT/path --connections C --duration S\n"
    "                                               raw keep-alive HTTP load; prints requests/s\n"
    "  export-config SCENARIO.json --out DIR        write the scenario's cluster as haproxy.cfg, redis/sentinel\n"
    "                                               conf, compose.yaml and README.txt (nothing is started)\n";

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << usage;
        return 2;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << usage;
        return 0;
    }
    if (command == "run") return statelab::run_command(args);
    if (command == "bench") return statelab::bench_command(args);
    if (command == "lesson") return statelab::lesson_command(args);
    if (command == "merge") return statelab::merge_command(args);
    if (command == "export-config") return statelab::export_command(args);
    if (command == "validate") {
        if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
            std::cout << "usage: statelab-cli validate SCENARIO.json\n";
            return 0;
        }
        if (args.size() != 1) {
            std::cerr << "statelab-cli: validate takes exactly one scenario file\n";
            return 2;
        }
        return statelab::validate_command(args[0], std::cout, std::cerr);
    }
    std::cerr << "statelab-cli: unknown command '" << command << "' (commands: run, merge, validate, lesson, export-config, bench; see statelab-cli --help)\n";
    return 2;
}
