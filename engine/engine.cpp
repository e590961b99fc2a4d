#include "engine_impl.hpp"

#include "driven/attached_balancer.hpp"
#include "driven/driven_target.hpp"
#include "driven/launched_cluster.hpp"
#include "lab_files.hpp"
#include "model/traffic_fields.hpp"

namespace statelab {

Engine::Engine(EngineConfig config) : m_impl(std::make_unique<Impl>()) {
    m_impl->config = std::move(config);
    if (m_impl->config.bin_dir.empty()) m_impl->config.bin_dir = executable_dir();
    if (m_impl->config.run_dir.empty()) {
        auto base = std::filesystem::temp_directory_path() / "statelab-runs";
        std::filesystem::create_directories(base);
        std::string templ = (base / "run-XXXXXX").string();
        if (!mkdtemp(templ.data())) throw ClusterError("cannot create a run directory under " + base.string());
        m_impl->config.run_dir = templ;
        m_impl->owns_run_dir = true;
    }
    std::filesystem::create_directories(m_impl->config.run_dir);
    m_impl->load = std::make_unique<LoadGenerator>(m_impl->config.load_threads);
}

Engine::~Engine() {
    shutdown();
    discard_run_files();
    std::error_code ec;
    if (m_impl->owns_run_dir) std::filesystem::remove(m_impl->config.run_dir, ec); // empty by now
}

void Engine::discard_run_files() {
    if (!m_impl->owns_run_dir || m_impl->system()) return;
    // The contents only: the directory itself stays private (mkdtemp's 0700) for the next launch.
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(m_impl->config.run_dir, ec))
        std::filesystem::remove_all(entry.path(), ec);
}

void Engine::set_snapshot_handler(std::function<void(const Snapshot&)> handler) {
    m_impl->handler = std::move(handler);
}

void Engine::launch(const ClusterSettings& settings, const std::function<void(const std::string&)>& progress) {
    shutdown();
    std::lock_guard turn(m_impl->commands);
    ClusterSpec spec;
    static_cast<ClusterSettings&>(spec) = settings;
    spec.bin_dir = m_impl->config.bin_dir;
    spec.run_dir = m_impl->config.run_dir;
    m_impl->begin_run(std::make_shared<LaunchedCluster>(std::move(spec), progress), settings); // launch throws, having stopped what it started
}

void Engine::attach(const ClusterSettings& settings, std::uint16_t balancer_port) {
    shutdown();
    std::lock_guard turn(m_impl->commands);
    m_impl->begin_run(std::make_shared<AttachedBalancer>(balancer_port), settings);
}

void Engine::attach_target(const Scenario& scenario, const TargetAddress& address) {
    if (!scenario.target) throw ClusterError("the scenario has no target");
    shutdown();
    std::lock_guard turn(m_impl->commands);
    m_impl->begin_run(std::make_shared<DrivenTarget>(*scenario.target, address), scenario);
}

// What every kind of run shares once its system is there: a fresh recorder, the run clock and
// the snapshot loop.
void Engine::Impl::begin_run(std::shared_ptr<DrivenSystem> system, const ClusterSettings& settings) {
    {
        std::lock_guard lock(mutex);
        driven = system;
        cluster = settings;
    }
    load->set_attribution(system->served_by(), system->lab_names());
    reset_run();
    load->set_shard(config.shard_index, config.shard_count);
    load->set_session_ttl(std::chrono::seconds(settings.session_ttl_s));
    // Answers that came in after the last run's last snapshot belong to that run: counted now,
    // a leak or a loss of the old cluster would open the new run's charts.
    (void)load->take_interval();
    store_watcher = system->watch_store(settings.mode);
    balancer_watch = system->watch_balancer();
    log_event(system->opening_event(settings));
    running = true;
    clock = std::make_unique<SnapshotClock>();
    asio::co_spawn(clock->context, snapshot_loop(), [](std::exception_ptr e) {
        // A failure of the loop must not pass silently (asio::detached would drop it).
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            std::fprintf(stderr, "statelab: the snapshot loop stopped: %s\n", ex.what());
        }
    });
    clock->thread = std::thread([c = clock.get()] { c->context.run(); });
}

void Engine::Impl::reset_run() {
    std::lock_guard lock(mutex);
    recorder = RunRecorder{};
    recording.reset();
    traffic_clock = TrafficClock{};
    // Somebody else's servers may answer with other names than the scenario's "actions" use.
    attribution = LossAttribution(sessions_live_in_nodes(cluster.mode),
                                  [names = &load->server_names()](std::size_t n) { return names->name(n); },
                                  [system = driven](const std::string& name) { return system ? system->served_name(name) : name; });
    if (driven) driven->describe(recorder); // a target's URL and how its servers are named, in every run on it
    started = Clock::now();
    pending_events.clear();
    ticks = 0;
    store_primary.clear();
    outage_cause.clear();
}

void Engine::new_run() {
    std::lock_guard turn(m_impl->commands);
    const auto system = m_impl->system();
    if (!m_impl->running || !system) throw ClusterError("no cluster is running: launch one first");
    m_impl->stop_traffic(true); // the run before ends where its traffic did
    system->end_actions();
    // A clean slate on the same cluster and the same snapshot thread. What the run before had
    // not counted yet is dropped (the window keeps a run once its last answers are in).
    m_impl->reset_run();
    (void)m_impl->load->take_interval();
    const Event opening = system->opening_event(m_impl->cluster);
    m_impl->log_event({.kind = EventKind::new_run,
                       .target = "cluster",
                       .detail = std::string(mode_name(m_impl->mode())) + ", on the " + opening.target + " already up"});
}

bool Engine::launched() const { return m_impl->system() != nullptr; }

void Engine::shutdown() {
    m_impl->story.stop(); // first, and without the commands' turn: its thread may wait for it
    std::lock_guard turn(m_impl->commands);
    const bool was_running = m_impl->running;
    const auto system = m_impl->system();
    if (was_running && system) {
        // The end of the run is part of its story: the traffic's stop and the shutdown are
        // events, in one last snapshot with the answers that came in since the one before.
        m_impl->stop_traffic(true);
        m_impl->log_event({.kind = EventKind::shutdown, .target = "cluster", .detail = system->shutdown_detail()});
    }
    // Commands still running, and what any left behind, end with the run (their events too).
    if (system) system->end_actions();
    m_impl->load->stop();
    m_impl->running = false;
    if (m_impl->clock) {
        m_impl->clock->stop(); // joins the snapshot thread (which reads clock->poller)...
        if (was_running) m_impl->take_snapshot();
        m_impl->clock.reset(); // ...then drops its pending work
    }
    m_impl->store_watcher.reset(); // the snapshot thread read it until it was joined just now
    m_impl->balancer_watch.reset();
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->driven.reset();
    }
    if (system) system->shutdown();
}

std::string Engine::act(Action action, const std::string& target) {
    std::lock_guard turn(m_impl->commands);
    return m_impl->act(action, target);
}

std::string Engine::Impl::held_before(Action action, const std::string& target) const {
    if (!empties_memory(action) || !clock) return {};
    // The yardstick for the lost sessions that follow. A node of a shared-store mode holds none
    // (its /metrics counts the store's); the store holds them all.
    const bool in_nodes = sessions_live_in_nodes(mode());
    std::int64_t held = -1;
    for (const auto& [name, report] : clock->poller->latest()) {
        if (in_nodes && name == target) held = report.sessions_active;
        if (!in_nodes && is_store_process(target)) held = std::max(held, report.sessions_active);
    }
    if (!in_nodes && target.starts_with("node-")) held = 0;
    return held >= 0 ? "held " + std::to_string(held) + " sessions" : std::string();
}

std::string Engine::Impl::act(Action action, const std::string& target) {
    const auto system = this->system();
    if (!system) throw ClusterError("no cluster is running: launch one first");
    const std::string held = system->nodes_polled() ? held_before(action, target) : std::string();
    const auto blow = Clock::now();
    const double issued_s = [&] {
        std::lock_guard lock(mutex);
        return now_s();
    }();
    // Logged as one finished event when it is done (a command: put at the moment it was asked
    // for, with what it said and its exit status).
    std::string affected = system->act(action, target, [this, action, held, issued_s, blow](ActOutcome outcome) {
        Event event;
        event.kind = EventKind::node_action, event.action = action, event.target = outcome.affected;
        event.detail = held.empty() ? outcome.detail : outcome.detail.empty() ? held : held + "; " + outcome.detail;
        event.exit_status = outcome.exit_status;
        log_event(std::move(event), {}, outcome.at_issue ? std::optional<double>(issued_s) : std::nullopt);
        // Time the outage this may cause, as the users see it (none when it was a replica). One
        // already under way keeps its start: a restart of the dead store is not a new blow.
        if (is_store_process(outcome.affected) && interrupts_service(action) && !load->outage().outage_seen()) {
            {
                std::lock_guard lock(mutex);
                outage_cause = std::string(action_name(action)) + " " + outcome.affected;
            }
            load->outage().watch_from(blow);
        }
    });
    // Recorded when it was asked for: a restart logs its event once the node is ready, seconds
    // later, and played again it is asked for at the same offset.
    std::lock_guard lock(mutex);
    recording.acted(issued_s, action, target);
    return affected;
}

void Engine::start_traffic(const TrafficSettings& traffic) {
    std::lock_guard turn(m_impl->commands);
    m_impl->start_traffic(traffic);
}

void Engine::Impl::start_traffic(const TrafficSettings& traffic) {
    const auto system = this->system();
    if (!system) throw ClusterError("no cluster is running: launch one first");
    load->start(system->endpoint(), traffic, system->host());
    std::string detail = std::to_string(traffic.users) + " users";
    if (traffic.retry != "none") detail += ", " + traffic.retry + " retries"; // the run's log says how it was driven
    log_event({.kind = EventKind::traffic_start, .target = "traffic", .detail = detail},
              [&](double now_s) { recording.traffic_started(now_s, traffic); });
}

void Engine::set_traffic(const TrafficSettings& traffic) {
    std::lock_guard turn(m_impl->commands);
    m_impl->set_traffic(traffic);
}

void Engine::Impl::set_traffic(const TrafficSettings& traffic) {
    const TrafficSettings before = load->settings();
    load->update(traffic);
    const std::string change = describe_change(before, traffic);
    if (change.empty()) return;
    log_event({.kind = EventKind::traffic_set, .target = "traffic", .detail = change},
              [&](double now_s) { recording.traffic_changed(now_s, before, traffic); });
}

void Engine::stop_traffic() {
    std::lock_guard turn(m_impl->commands);
    m_impl->stop_traffic(true);
}

void Engine::Impl::stop_traffic(bool record) {
    if (!load->running()) return;
    const double asked_s = [&] {
        std::lock_guard lock(mutex);
        return now_s();
    }();
    load->stop(); // waits for the users to finish: ~0.1 s with a few hundred of them
    log_event({.kind = EventKind::traffic_stop, .target = "traffic"}, [&](double at_s) {
        if (record) recording.traffic_paused(at_s);
    }, asked_s);
}

// A timeline action, on the story's thread: as if the user had done it at that moment.
void Engine::Impl::perform(const TimelineAction& action) {
    std::lock_guard turn(commands);
    // What could not be done is logged as the action it was, with why (a failed `set` too, as
    // "set cluster": it changed no traffic).
    auto undone = [&](std::string why) {
        log_event({.kind = EventKind::node_action,
                   .action = action.action,
                   .target = action.target.empty() ? std::string("cluster") : action.target,
                   .detail = std::move(why)});
    };
    if (std::string why = skip_reason(action); !why.empty()) {
        undone(std::move(why));
        return;
    }
    try {
        if (action.action == Action::set) set_traffic(apply_set(load->settings(), action));
        else act(action.action, action.target);
    } catch (const std::exception& e) {
        // The story goes on; the log says what could not be done and why.
        undone(std::string("failed: ") + e.what());
    }
}

// A cluster action happens once per run: shard 0 carries it out, the other shards (and an
// engine attached to somebody else's cluster) log it as skipped. Traffic changes apply to all.
std::string Engine::Impl::skip_reason(const TimelineAction& action) const {
    if (action.action == Action::set) return {};
    if (config.shard_index != 0)
        return "skipped: shard " + std::to_string(config.shard_index) + "/" + std::to_string(config.shard_count) +
               " (shard 0 carries out cluster actions)";
    const auto system = this->system();
    return system ? system->skip_reason(action.action) : std::string();
}

void Engine::play(const Scenario& scenario, std::vector<double> hold_at_s) {
    m_impl->story.stop(); // without the commands' turn (its thread may be waiting for it)
    std::lock_guard turn(m_impl->commands);
    m_impl->start_traffic(scenario.traffic);
    const auto origin = [&] {
        std::lock_guard lock(m_impl->mutex);
        return m_impl->started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                     m_impl->recording.origin_s().value_or(m_impl->now_s())));
    }();
    std::sort(hold_at_s.begin(), hold_at_s.end());
    m_impl->story.play(
        scenario.timeline, scenario.duration_s, std::move(hold_at_s), origin,
        [impl = m_impl.get()](const TimelineAction& action) { impl->perform(action); },
        [impl = m_impl.get()] {
            std::lock_guard story_turn(impl->commands);
            impl->stop_traffic(false); // the story's end, not a pause in it
        });
}

void Engine::proceed() { m_impl->story.proceed(); }
StoryStatus Engine::story() const { return m_impl->story.status(); }

Scenario Engine::recorded(Scenario base) const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->recording.scenario(std::move(base), m_impl->now_s());
}

TrafficSettings Engine::traffic() const { return m_impl->load->settings(); }
int Engine::active_users() const { return m_impl->load->active_users(); }

std::vector<NodeStatus> Engine::statuses() const {
    const auto system = m_impl->system();
    return system ? system->processes() : std::vector<NodeStatus>{};
}

double Engine::elapsed_s() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->now_s();
}

std::string Engine::base_url() const {
    const auto system = m_impl->system();
    return system ? system->base_url() : std::string{};
}
const std::filesystem::path& Engine::run_dir() const { return m_impl->config.run_dir; }

RunTotals Engine::totals() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->recorder.totals();
}

std::string Engine::summary_json(const std::string& scenario_name) const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->recorder.summary_json(scenario_name, mode_name(m_impl->cluster.mode));
}

void Engine::write_results(const std::filesystem::path& dir, const std::string& scenario_name) const {
    // The files' text under the lock, the disk without it: the snapshot thread (and a window
    // calling this) never waits on a slow disk.
    const RunRecorder::Files files = [&] {
        std::lock_guard lock(m_impl->mutex);
        return m_impl->recorder.files(scenario_name, mode_name(m_impl->cluster.mode));
    }();
    write_run_files(dir, files);
}

} // namespace statelab
