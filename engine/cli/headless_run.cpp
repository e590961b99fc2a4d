#include "cli/headless_run.hpp"

#include "engine.hpp"
#include "lab_files.hpp"
#include "target_address.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>
#include <utility>

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

// Counters of the current second, for the progress line, and the events to say.
struct Progress {
    std::atomic<std::uint64_t> requests{0}, errors{0}, lost{0}, lost_total{0};

    void add_events(const std::vector<Event>& events) {
        std::lock_guard lock(m_mutex);
        for (const Event& e : events) {
            if (e.kind == EventKind::traffic_start && !m_origin_s) m_origin_s = e.t_s;
            const bool said_already = e.kind == EventKind::launch || e.kind == EventKind::traffic_start || e.kind == EventKind::attach;
            if (!said_already) m_events.push_back(e);
        }
    }
    std::vector<Event> take_events() {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_events, {});
    }
    double origin_s() {
        std::lock_guard lock(m_mutex);
        return m_origin_s.value_or(0);
    }

private:
    std::mutex m_mutex;
    std::vector<Event> m_events;
    std::optional<double> m_origin_s; // the run clock at the traffic's start: the timeline's 0
};

} // namespace

HeadlessResult run_headless(const Scenario& scenario, const std::string& out_dir, const HeadlessOptions& options) {
    install_signal_handlers();
    EngineConfig config;
    config.load_threads = options.threads;
    config.shard_index = options.shard_index;
    config.shard_count = options.shard_count;
    config.run_dir = std::filesystem::path(out_dir) / "logs";
    std::filesystem::create_directories(config.run_dir);
    Engine engine(config);
    Progress progress;
    engine.set_snapshot_handler([&](const Snapshot& s) {
        progress.requests += s.total.requests;
        progress.errors += s.failures.total();
        progress.lost += s.total.lost;
        progress.lost_total += s.total.lost;
        progress.add_events(s.events);
    });

    std::optional<TargetAddress> target;
    if (scenario.target) {
        try {
            target = resolve_target(*scenario.target, options.allow_remote);
        } catch (const ClusterError& e) {
            std::cerr << "statelab-cli: " << e.what() << "\n";
            return {1, {}};
        }
        // The first line says where the traffic goes: with --allow-remote it may leave this machine.
        std::cerr << "statelab-cli: traffic goes to " << scenario.target->host << ":" << scenario.target->port << " ("
                  << target->address << (target->loopback ? ", loopback" : ", NOT loopback: --allow-remote") << ")\n";
        const ValueSource& by = scenario.target->served_by;
        if (const std::string note = builtin_journey_note(scenario); !note.empty())
            std::cerr << "statelab-cli: note: " << note << '\n';
        std::cerr << "statelab-cli: " << scenario.name << " (your system, " << scenario.duration_s
                  << " s); which server answered: "
                  << (by.name.empty() ? std::string("not known")
                                      : (by.from == ValueSource::From::cookie ? "cookie " : "header ") + by.name)
                  << "\n";
    } else {
        std::cerr << "statelab-cli: " << scenario.name << " (" << mode_name(scenario.mode) << ", " << scenario.nodes
                  << " nodes, " << scenario.duration_s << " s)\n";
    }
    if (options.shard_count > 1)
        std::cerr << "statelab-cli: shard " << options.shard_index << "/" << options.shard_count << ": users "
                  << options.shard_index << ", " << options.shard_index + options.shard_count << ", ... of "
                  << scenario.traffic.users << "\n";
    if (target) {
        // Before any traffic: is anybody there? One clear line instead of a run of failures.
        if (const std::string problem = target_answer_problem(*scenario.target, *target); !problem.empty()) {
            std::cerr << "statelab-cli: the target " << scenario.target->url << " (" << target->address
                      << ") does not answer: " << problem << "\n";
            return {1, {}};
        }
    }
    try {
        if (target) engine.attach_target(scenario, *target);
        else if (options.balancer_port) engine.attach(scenario, options.balancer_port);
        else engine.launch(scenario, [](const std::string& step) { std::cerr << "statelab-cli: " << step << "\n"; });
    } catch (const ClusterError& e) {
        std::cerr << "statelab-cli: cannot " << (target ? "drive the target: " : "launch the cluster: ") << e.what() << "\n";
        return {1, {}};
    }
    // Somebody else's system writes no logs here: the folder is not announced (and goes if empty).
    std::cerr << "statelab-cli: " << (options.balancer_port || target ? "driving the running system at " : "cluster up at ")
              << engine.base_url() << (target ? std::string() : "; logs in " + config.run_dir.string()) << "\n";

    // The engine plays the timeline (the same story the window and the lessons play); this
    // loop only reports, once a second, and says each event as it happens.
    engine.play(scenario);
    double next_report = 1.0;
    while (!engine.story().finished && g_signals.load() == 0) {
        for (const Event& event : progress.take_events())
            std::fprintf(stderr, "statelab-cli: t=%.1fs %s %s%s%s\n", event.t_s - progress.origin_s(), event_action_name(event),
                         event.target.c_str(), event.detail.empty() ? "" : ": ", event.detail.c_str());
        const double story_s = engine.story().story_s;
        if (story_s >= next_report) {
            std::fprintf(stderr, "statelab-cli: t=%5.1fs  req/s %8llu  errors %6llu  lost %5llu  (lost so far %llu)\n",
                         story_s, static_cast<unsigned long long>(progress.requests.exchange(0)),
                         static_cast<unsigned long long>(progress.errors.exchange(0)),
                         static_cast<unsigned long long>(progress.lost.exchange(0)),
                         static_cast<unsigned long long>(progress.lost_total.load()));
            next_report = std::floor(story_s) + 1.0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (g_signals.load() > 0) std::cerr << "statelab-cli: interrupted at t=" << engine.story().story_s << " s; writing results\n";
    engine.stop_traffic();
    // One more interval so the answers that arrived while stopping are counted.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    HeadlessResult result;
    try {
        engine.write_results(out_dir, scenario.name);
        if (options.shard_count > 1)
            write_partial(out_dir, {options.shard_index, options.shard_count, progress.origin_s()}, engine.totals().latency);
        result.summary_json = engine.summary_json(scenario.name);
    } catch (const std::exception& e) {
        std::cerr << "statelab-cli: cannot write results to " << out_dir << ": " << e.what() << "\n";
        return {1, {}};
    }
    const RunTotals totals = engine.totals(); // what summary.json says
    engine.shutdown();
    if (target) {
        std::error_code ignored;
        std::filesystem::remove(config.run_dir, ignored); // only when empty
    }
    std::printf("requests %llu, failures %llu, sessions created %llu, lost %llu, p99 %.2f ms\n",
                static_cast<unsigned long long>(totals.requests),
                static_cast<unsigned long long>(totals.failures.total()),
                static_cast<unsigned long long>(totals.created), static_cast<unsigned long long>(totals.lost),
                totals.latency.quantile_ms(0.99));
    if (scenario.target && scenario.target->served_by.name.empty())
        std::printf("per-server figures: not known (the target names no served_by header or cookie)\n");
    // An action's name that no answer carried: its kill's losses cannot be put down to it.
    if (scenario.target && !scenario.target->served_by.name.empty())
        for (const auto& [name, verbs] : scenario.target->actions) {
            const std::string served = scenario.target->served_name(name);
            const bool seen = std::any_of(totals.per_node.begin(), totals.per_node.end(),
                                          [&](const NodeTotals& n) { return n.name == served; });
            if (!seen)
                std::fprintf(stderr, "statelab-cli: warning: no answer named '%s' (\"actions\".%s): what its actions lose "
                             "cannot be put down to them; say \"served_as\": \"<the name its server answers with>\"\n",
                             served.c_str(), name.c_str());
        }
    if (totals.duplicates > 0) // only where writes were applied twice: a short line stays short
        std::printf("items applied twice (duplicates in carts): %llu\n", static_cast<unsigned long long>(totals.duplicates));
    std::printf("results: %s/summary.json and %s/timeseries.csv\n", out_dir.c_str(), out_dir.c_str());
    result.exit_code = g_signals.load() > 0 ? 130 : 0;
    // A run with traffic in which not one request succeeded measured nothing: a script must see it.
    const std::uint64_t refused = totals.failures.http_4xx + totals.failures.http_5xx + totals.failures.too_large;
    const bool traffic = scenario.traffic.users > 0 || scenario.traffic.rate > 0;
    if (traffic && result.exit_code == 0 && totals.requests <= refused && totals.requests + totals.failures.total() > 0) {
        std::cerr << "statelab-cli: no request succeeded (" << totals.failures.total() << " failed): the numbers above "
                  << "measure nothing\n";
        result.exit_code = 1;
    }
    return result;
}

} // namespace statelab
