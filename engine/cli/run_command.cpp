#include "cli/run_command.hpp"

#include "cli/cli_options.hpp"
#include "cli/headless_run.hpp"
#include "lab_files.hpp"

#include <iostream>
#include <regex>

namespace statelab {

namespace {

// --shard I/N, I counted from 0 (Kubernetes' JOB_COMPLETION_INDEX is 0-based).
void parse_shard(const std::string& text, HeadlessOptions& options) {
    static const std::regex form(R"((\d{1,4})/(\d{1,4}))");
    std::smatch m;
    if (!std::regex_match(text, m, form)) cli_usage_error("--shard: expected I/N (e.g. 0/4), got '" + text + "'");
    options.shard_index = static_cast<unsigned>(std::stoul(m[1]));
    options.shard_count = static_cast<unsigned>(std::stoul(m[2]));
    if (options.shard_count < 1 || options.shard_index >= options.shard_count)
        cli_usage_error("--shard: I must be 0..N-1 (counted from 0, like JOB_COMPLETION_INDEX), got '" + text + "'");
}

// --balancer-url http://127.0.0.1:PORT: a cluster somebody else launched, on loopback.
std::uint16_t parse_balancer_url(const std::string& url) {
    static const std::regex form(R"(http://([^/:]+):(\d{1,5})/?)");
    std::smatch m;
    if (!std::regex_match(url, m, form)) cli_usage_error("--balancer-url: expected http://127.0.0.1:PORT, got '" + url + "'");
    require_loopback_host(m[1], "--balancer-url");
    const unsigned long port = std::stoul(m[2]);
    if (port < 1 || port > 65535) cli_usage_error("--balancer-url: port must be 1..65535, got '" + m[2].str() + "'");
    return static_cast<std::uint16_t>(port);
}

} // namespace

int run_command(const std::vector<std::string>& args) {
    std::string scenario_path, out_dir, shard, balancer_url;
    bool allow_commands = false, force = false;
    double duration_override = 0;
    HeadlessOptions run;
    po::options_description options("run options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("scenario", po::value(&scenario_path)->required(), "scenario file (JSON)")
        ("out", po::value(&out_dir)->required(), "directory for summary.json and timeseries.csv")
        ("duration", po::value(&duration_override)->default_value(0), "seconds, overriding the scenario's duration_s (0 = keep)")
        ("threads", po::value(&run.threads)->default_value(0), "load generator threads (0 = one per core)")
        ("shard", po::value(&shard)->default_value(""),
         "I/N: drive only users I, I+N, I+2N, ... of the scenario's users (I from 0 to N-1, like Kubernetes' "
         "JOB_COMPLETION_INDEX); writes a partial result for `statelab-cli merge` (empty = the whole crowd)")
        ("balancer-url", po::value(&balancer_url)->default_value(""),
         "http://127.0.0.1:PORT: launch nothing, drive this running balancer (loopback only); the timeline's "
         "cluster actions are logged as skipped (empty = launch the scenario's cluster)")
        ("force", po::bool_switch(&force), force_help)
        ("allow-commands", po::bool_switch(&allow_commands),
         "let the scenario's \"actions\" run their shell commands (kill, restart, ... of your servers); "
         "without it a scenario with commands starts nothing and lists them")
        ("allow-remote", po::bool_switch(&run.allow_remote),
         "let a scenario's \"target\" be a host outside 127.0.0.0/8 (your staging system); the first line "
         "printed says where the traffic goes. Without it, only loopback targets are driven");
    po::positional_options_description positional;
    positional.add("scenario", 1);
    po::variables_map vm;
    parse_subcommand(args, options, vm,
                     "usage: statelab-cli run SCENARIO.json --out DIR [--duration S] [--shard I/N] [--balancer-url URL]\n"
                     "                        [--allow-remote] [--allow-commands]\n"
                     "Launches the scenario's cluster, drives its traffic and timeline, writes DIR/summary.json\n"
                     "and DIR/timeseries.csv. Ctrl-C stops early and still writes the results.\n"
                     "A scenario with \"target\": {\"url\": \"http://HOST:PORT\"} launches nothing and drives that\n"
                     "system (loopback only unless --allow-remote); its \"actions\" map node actions to shell\n"
                     "commands, which run only with --allow-commands (without it: each listed, nothing started).\n"
                     "Load from many hosts: run shard I/N on each (all against one --balancer-url), then\n"
                     "`statelab-cli merge DIR... --out DIR`. `users` and `rate` stay the whole crowd's: each shard\n"
                     "drives its share, `set` changes of the timeline included. Cluster actions (kill, restart,\n"
                     "add, ...) happen once: shard 0 carries them out (not when attached with --balancer-url),\n"
                     "the others log them as skipped. A shard's DIR also holds latency_histogram.json and\n"
                     "summary.json's \"shard\": {\"index\", \"count\", \"traffic_start_s\"}.",
                     &positional);

    ScenarioResult parsed = load_scenario_file(scenario_path);
    if (!parsed) cli_usage_error(parsed.error);
    Scenario scenario = *parsed.scenario;
    if (duration_override < 0 || duration_override > 86400) cli_usage_error("--duration must be 0..86400 seconds");
    if (duration_override > 0) scenario.duration_s = duration_override;
    if (!shard.empty()) parse_shard(shard, run);
    if (!balancer_url.empty() && scenario.target)
        cli_usage_error("--balancer-url: the scenario has a \"target\" already (" + scenario.target->url + "); use one of them");
    if (!balancer_url.empty()) run.balancer_port = parse_balancer_url(balancer_url);
    // A scenario somebody sent may hold commands: none runs, and nothing starts, until the user
    // has seen each and said so.
    if (scenario.target && !allow_commands) {
        const auto commands = target_commands(*scenario.target);
        if (!commands.empty()) {
            for (const TargetCommand& c : commands)
                std::cerr << "statelab-cli: would run (" << action_name(c.verb) << " " << c.target << "): " << c.command << '\n';
            std::cerr << "statelab-cli: the scenario's \"actions\" run " << commands.size() << " shell command"
                      << (commands.size() == 1 ? "" : "s") << "; nothing was started: read them, then run again with "
                      << "--allow-commands\n";
            return 1;
        }
    }

    prepare_out_dir(out_dir, {"summary.json", "timeseries.csv", "latency_histogram.json"}, force);
    return run_headless(scenario, out_dir, run).exit_code;
}

} // namespace statelab
