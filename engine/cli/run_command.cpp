#include "cli/run_command.hpp"

#include "cli/cli_options.hpp"
#include "engine.hpp"
#include "scenario/scenario_parser.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace statelab {

namespace {

std::atomic<int> g_signals{0};

void on_signal(int) {
    // A second Ctrl-C means "now": children die with us (PR_SET_PDEATHSIG), results are lost.
    if (g_signals.fetch_add(1) >= 1) _exit(130);
}

void install_signal_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr); // the terminal went away: the results are still written
}

// Counters of the current second, for the progress line.
struct Progress {
    std::atomic<std::uint64_t> requests{0}, errors{0}, lost{0}, lost_total{0};
};

} // namespace

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

    install_signal_handlers();
    EngineConfig config;
    config.load_threads = threads;
    config.run_dir = std::filesystem::path(out_dir) / "logs";
    std::filesystem::create_directories(config.run_dir);
    Engine engine(config);
    Progress progress;
    engine.set_snapshot_handler([&](const Snapshot& s) {
        progress.requests += s.total.requests;
        progress.errors += s.failures.total();
        progress.lost += s.total.lost;
        progress.lost_total += s.total.lost;
    });

    std::cerr << "statelab-cli: " << scenario.name << " (" << mode_name(scenario.mode) << ", " << scenario.nodes
              << " nodes, " << scenario.duration_s << " s)\n";
    try {
        engine.launch(scenario,
                      [](const std::string& step) { std::cerr << "statelab-cli: " << step << "\n"; });
    } catch (const ClusterError& e) {
        std::cerr << "statelab-cli: cannot launch the cluster: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "statelab-cli: cluster up at " << engine.base_url() << "; logs in " << config.run_dir.string() << "\n";

    using Clock = std::chrono::steady_clock;
    TrafficSettings traffic = scenario.traffic;
    engine.start_traffic(traffic);
    const auto started = Clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
    std::size_t next_action = 0;
    double next_report = 1.0;
    while (elapsed() < scenario.duration_s && g_signals.load() == 0) {
        while (next_action < scenario.timeline.size() && scenario.timeline[next_action].at_s <= elapsed()) {
            const TimelineAction& action = scenario.timeline[next_action++];
            if (action.action == Action::set) {
                traffic = apply_set(traffic, action);
                engine.set_traffic(traffic);
                std::fprintf(stderr, "statelab-cli: t=%.1fs set traffic: %d users, think %d ms, rate %.0f/s\n",
                             elapsed(), traffic.users, traffic.think_ms, traffic.rate);
                continue;
            }
            try {
                const std::string who = engine.act(action.action, action.target);
                std::fprintf(stderr, "statelab-cli: t=%.1fs %s %s\n", elapsed(), action_name(action.action), who.c_str());
            } catch (const ClusterError& e) {
                std::fprintf(stderr, "statelab-cli: t=%.1fs %s %s failed: %s\n", elapsed(), action_name(action.action),
                             action.target.c_str(), e.what());
            }
        }
        if (elapsed() >= next_report) {
            std::fprintf(stderr, "statelab-cli: t=%5.1fs  req/s %8llu  errors %6llu  lost %5llu  (lost so far %llu)\n",
                         elapsed(), static_cast<unsigned long long>(progress.requests.exchange(0)),
                         static_cast<unsigned long long>(progress.errors.exchange(0)),
                         static_cast<unsigned long long>(progress.lost.exchange(0)),
                         static_cast<unsigned long long>(progress.lost_total.load()));
            next_report += 1.0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (g_signals.load() > 0) std::cerr << "statelab-cli: interrupted at t=" << elapsed() << " s; writing results\n";
    engine.stop_traffic();
    // One more interval so the answers that arrived while stopping are counted.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    try {
        engine.write_results(out_dir, scenario.name);
    } catch (const std::exception& e) {
        std::cerr << "statelab-cli: cannot write results to " << out_dir << ": " << e.what() << "\n";
        return 1;
    }
    engine.shutdown();
    const RunTotals totals = engine.totals();
    std::printf("requests %llu, failures %llu, sessions created %llu, lost %llu, p99 %.2f ms\n",
                static_cast<unsigned long long>(totals.requests),
                static_cast<unsigned long long>(totals.failures.total()),
                static_cast<unsigned long long>(totals.created), static_cast<unsigned long long>(totals.lost),
                totals.latency.quantile_ms(0.99));
    if (totals.duplicates > 0) // only where writes were applied twice: a short line stays short
        std::printf("items applied twice (duplicates in carts): %llu\n", static_cast<unsigned long long>(totals.duplicates));
    std::printf("results: %s/summary.json and %s/timeseries.csv\n", out_dir.c_str(), out_dir.c_str());
    return g_signals.load() > 0 ? 130 : 0;
}

} // namespace statelab
