#include "cli/export_command.hpp"

#include "cli/cli_options.hpp"
#include "lab_files.hpp"

#include <iostream>

namespace statelab {

int export_command(const std::vector<std::string>& args) {
    std::string scenario_path, out_dir;
    bool force = false;
    po::options_description options("export-config options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("scenario", po::value(&scenario_path)->required(), "scenario file (JSON)")
        ("out", po::value(&out_dir)->required(), "directory for the exported files (created when missing)")
        ("force", po::bool_switch(&force), "replace files an earlier export (or anything else) left there under the same names");
    po::positional_options_description positional;
    positional.add("scenario", 1);
    po::variables_map vm;
    parse_subcommand(args, options, vm,
                     "usage: statelab-cli export-config SCENARIO.json --out DIR\n"
                     "Writes the scenario's cluster as real configuration, from the generators the lab runs:\n"
                     "haproxy.cfg, redis.conf (redis-replica.conf, sentinel.conf) where the mode uses them,\n"
                     "compose.yaml (public images, placeholder app servers) and README.txt. Passwords are\n"
                     "the placeholder CHANGE-ME. Nothing is started.",
                     &positional);

    const ScenarioResult parsed = load_scenario_file(scenario_path);
    if (!parsed) cli_usage_error(parsed.error);
    // `--out /etc/haproxy` as root would replace a live haproxy.cfg: never without --force.
    prepare_out_dir(out_dir, {"haproxy.cfg", "redis.conf", "redis-replica.conf", "sentinel.conf", "compose.yaml", "README.txt"},
                    force);
    try {
        for (const auto& file : export_cluster_config(*parsed.scenario, out_dir, parsed.scenario->name))
            std::cout << "wrote " << file.string() << "\n";
    } catch (const ConfigExportError& e) {
        std::cerr << "statelab-cli: cannot export the cluster: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

} // namespace statelab
