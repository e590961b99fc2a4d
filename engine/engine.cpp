#include "engine_impl.hpp"

#include "cluster/launch_commands.hpp"

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
    if (!m_impl->owns_run_dir || m_impl->current()) return;
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
    auto supervisor = std::make_shared<Supervisor>(spec);
    supervisor->launch(progress); // throws, having stopped what it started
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->supervisor = std::move(supervisor);
    }
    m_impl->load->set_attribution(lab_served_by, true);
    m_impl->begin_run(settings);
}

void Engine::attach(const ClusterSettings& settings, std::uint16_t balancer_port) {
    shutdown();
    std::lock_guard turn(m_impl->commands);
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->attached_port = balancer_port;
        m_impl->attached_address = "127.0.0.1";
        m_impl->attached_nodes = 0;
        m_impl->last_answer_s.clear();
    }
    m_impl->load->set_attribution(lab_served_by, true);
    m_impl->begin_run(settings);
}

// What launch and attach share once a cluster is there: a fresh recorder, the run clock and
// the snapshot loop.
void Engine::Impl::begin_run(const ClusterSettings& settings) {
    {
        std::lock_guard lock(mutex);
        cluster = settings;
    }
    reset_run();
    load->set_shard(config.shard_index, config.shard_count);
    load->set_session_ttl(std::chrono::seconds(settings.session_ttl_s));
    // Answers that came in after the last run's last snapshot belong to that run: counted now,
    // a leak or a loss of the old cluster would open the new run's charts.
    (void)load->take_interval();
    if (settings.mode == Mode::shared_store_ha && current()) {
        std::vector<std::uint16_t> sentinels;
        for (const NodeStatus& s : current()->statuses())
            if (s.kind == ProcessKind::sentinel) sentinels.push_back(s.port);
        store_watcher = std::make_unique<StoreWatcher>(sentinels, current()->store_password(), sentinel_master_name);
    }
    watch_balancer();
    if (const auto driven = driven_target()) {
        const ValueSource& by = driven->served_by;
        {
            std::lock_guard lock(mutex);
            recorder.set_target(driven->url, by.name.empty() ? "not known"
                                             : (by.from == ValueSource::From::cookie ? "cookie " : "header ") + by.name);
        }
        log_event("attach", "target", driven->url + " (" + attached_address + ")");
    }
    else
        log_event(current() ? "launch" : "attach", "cluster",
                  std::string(mode_name(settings.mode)) + ", " + std::to_string(settings.nodes) + " nodes");
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

// The lab's own balancer: which nodes it takes as up (HAProxy's only with its stats socket).
void Engine::Impl::watch_balancer() {
    balancer_watch.reset();
    const auto running = current();
    if (!running) return;
    if (running->spec().balancer == BalancerKind::builtin) {
        balancer_watch = std::make_unique<BalancerWatch>(read_builtin_balancer(running->balancer_port()), "statelab-balancer");
        return;
    }
    if (auto socket = haproxy_stats_socket(running->spec().run_dir); !socket.empty())
        balancer_watch = std::make_unique<BalancerWatch>(read_haproxy(std::move(socket)), "haproxy");
}

void Engine::Impl::reset_run() {
    std::lock_guard lock(mutex);
    recorder = RunRecorder{};
    recording.reset();
    traffic_clock = TrafficClock{};
    // Somebody else's servers may answer with other names than the scenario's "actions" use.
    attribution = LossAttribution(sessions_live_in_nodes(cluster.mode),
                                  [names = &load->server_names()](std::size_t n) { return names->name(n); },
                                  [driven = target.value_or(Target{})](const std::string& name) { return driven.served_name(name); });
    started = Clock::now();
    pending_events.clear();
    ticks = 0;
    store_primary.clear();
    outage_cause.clear();
}

void Engine::new_run() {
    std::lock_guard turn(m_impl->commands);
    if (!m_impl->running) throw ClusterError("no cluster is running: launch one first");
    m_impl->stop_traffic(true); // the run before ends where its traffic did
    m_impl->command_runner.end_all();
    // A clean slate on the same cluster and the same snapshot thread. What the run before had
    // not counted yet is dropped (the window keeps a run once its last answers are in).
    m_impl->reset_run();
    (void)m_impl->load->take_interval();
    std::string detail;
    if (const auto running = m_impl->current())
        detail = std::string(mode_name(m_impl->mode())) + ", on the cluster already up";
    m_impl->log_event("new run", "cluster", detail);
}

bool Engine::launched() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->supervisor != nullptr || m_impl->attached_port != 0;
}

void Engine::shutdown() {
    m_impl->story.stop(); // first, and without the commands' turn: its thread may wait for it
    std::lock_guard turn(m_impl->commands);
    const bool was_running = m_impl->running;
    if (was_running) {
        // The end of the run is part of its story: the traffic's stop and the shutdown are
        // events, in one last snapshot with the answers that came in since the one before.
        m_impl->stop_traffic(true);
        m_impl->log_event("shutdown", "cluster", m_impl->current() ? "every process stopped" : "detached");
    }
    // Commands still running, and what any left behind, end with the run (their events too).
    m_impl->command_runner.end_all();
    m_impl->load->stop();
    m_impl->running = false;
    if (m_impl->clock) {
        m_impl->clock->stop(); // joins the snapshot thread (which reads clock->poller)...
        if (was_running) m_impl->take_snapshot();
        m_impl->clock.reset(); // ...then drops its pending work
    }
    m_impl->store_watcher.reset(); // the snapshot thread read it until it was joined just now
    m_impl->balancer_watch.reset();
    std::shared_ptr<Supervisor> stopping;
    {
        std::lock_guard lock(m_impl->mutex);
        stopping = std::move(m_impl->supervisor);
        m_impl->attached_port = 0;
        m_impl->target.reset();
    }
    if (stopping) stopping->shutdown();
}

std::string Engine::act(Action action, const std::string& target) {
    std::lock_guard turn(m_impl->commands);
    return m_impl->act(action, target);
}

std::string Engine::Impl::act(Action action, const std::string& target) {
    if (driven_target()) return act_by_command(action, target);
    if (action == Action::run) throw ClusterError("'run' runs a command of a target scenario's \"actions\"; the lab's own cluster has none");
    const auto supervisor = current();
    if (!supervisor && attached()) throw ClusterError("attached to a balancer somebody else runs: no cluster actions");
    if (!supervisor) throw ClusterError("no cluster is running: launch one first");
    std::string detail;
    if (empties_memory(action)) {
        // What the process held when it went: the yardstick for the lost sessions that follow.
        // A node of a shared-store mode holds none (its /metrics counts the store's); the
        // store holds them all.
        const bool in_nodes = sessions_live_in_nodes(mode());
        std::int64_t held = -1;
        for (const auto& [name, report] : clock->poller->latest()) {
            if (in_nodes && name == target) held = report.sessions_active;
            if (!in_nodes && is_store_process(target)) held = std::max(held, report.sessions_active);
        }
        if (!in_nodes && target.starts_with("node-")) held = 0;
        if (held >= 0) detail = "held " + std::to_string(held) + " sessions";
    }
    const auto blow = Clock::now();
    const double issued_s = [&] {
        std::lock_guard lock(mutex);
        return now_s();
    }();
    std::string affected = supervisor->apply(action, target);
    // Recorded when it was asked for: a restart logs its event once the node is ready, seconds
    // later, and played again it is asked for at the same offset.
    log_event(action_name(action), affected, detail, 0, [&](double) { recording.acted(issued_s, action, target); });
    // Time the outage this may cause, as the users see it (none when it was a replica). One
    // already under way keeps its start: a restart of the dead store is not a new blow.
    if (is_store_process(affected) && interrupts_service(action) && !load->outage().outage_seen()) {
        {
            std::lock_guard lock(mutex);
            outage_cause = std::string(action_name(action)) + " " + affected;
        }
        load->outage().watch_from(blow);
    }
    return affected;
}

static std::string describe_change(const TrafficSettings& a, const TrafficSettings& b) {
    std::string out;
    auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
    if (a.users != b.users) add("users " + std::to_string(a.users) + " -> " + std::to_string(b.users));
    if (a.think_ms != b.think_ms) add("think " + std::to_string(a.think_ms) + " -> " + std::to_string(b.think_ms) + " ms");
    if (a.rate != b.rate) add("rate " + std::to_string(static_cast<long>(a.rate)) + " -> " + std::to_string(static_cast<long>(b.rate)) + "/s");
    if (a.journey != b.journey || a.browse_share != b.browse_share) add("journey " + a.journey + " -> " + b.journey);
    if (a.address_change_share != b.address_change_share || a.address_change_every_s != b.address_change_every_s)
        add("roaming " + std::to_string(static_cast<int>(a.address_change_share * 100 + 0.5)) + "% -> " +
            std::to_string(static_cast<int>(b.address_change_share * 100 + 0.5)) + "% every " +
            std::to_string(static_cast<int>(b.address_change_every_s + 0.5)) + " s");
    if (a.source_addresses != b.source_addresses)
        add("client addresses " + std::to_string(a.source_addresses) + " -> " + std::to_string(b.source_addresses));
    if (a.retry != b.retry) add("retry " + a.retry + " -> " + b.retry);
    if (a.item_bytes != b.item_bytes)
        add("item bytes " + std::to_string(a.item_bytes) + " -> " + std::to_string(b.item_bytes));
    if (a.shared_link_share != b.shared_link_share)
        add("shared links " + std::to_string(static_cast<int>(a.shared_link_share * 100 + 0.5)) + "% -> " +
            std::to_string(static_cast<int>(b.shared_link_share * 100 + 0.5)) + "%");
    if (a.idle_close_ms != b.idle_close_ms)
        add("idle close " + std::to_string(a.idle_close_ms) + " -> " + std::to_string(b.idle_close_ms) + " ms");
    return out;
}

void Engine::start_traffic(const TrafficSettings& traffic) {
    std::lock_guard turn(m_impl->commands);
    m_impl->start_traffic(traffic);
}

void Engine::Impl::start_traffic(const TrafficSettings& traffic) {
    const auto running = current();
    const std::uint16_t port = running ? running->balancer_port() : attached();
    if (!port) throw ClusterError("no cluster is running: launch one first");
    std::string address, host;
    if (const auto driven = driven_target()) host = driven->host + ":" + std::to_string(driven->port);
    {
        std::lock_guard lock(mutex);
        address = running ? std::string("127.0.0.1") : attached_address;
    }
    load->start(tcp::endpoint(asio::ip::make_address(address), port), traffic, host);
    std::string detail = std::to_string(traffic.users) + " users";
    if (traffic.retry != "none") detail += ", " + traffic.retry + " retries"; // the run's log says how it was driven
    log_event("start", "traffic", detail, 0, [&](double now_s) { recording.traffic_started(now_s, traffic); });
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
    log_event("set", "traffic", change, 0, [&](double now_s) { recording.traffic_changed(now_s, before, traffic); });
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
    log_event("stop", "traffic", {}, 0, [&](double at_s) {
        if (record) recording.traffic_paused(at_s);
    }, asked_s);
}

// A timeline action, on the story's thread: as if the user had done it at that moment.
void Engine::Impl::perform(const TimelineAction& action) {
    std::lock_guard turn(commands);
    if (const std::string why = skip_reason(action); !why.empty()) {
        log_event(action_name(action.action), action.target.empty() ? std::string("cluster") : action.target, why);
        return;
    }
    try {
        if (action.action == Action::set) set_traffic(apply_set(load->settings(), action));
        else act(action.action, action.target);
    } catch (const std::exception& e) {
        // The story goes on; the log says what could not be done and why.
        log_event(action_name(action.action), action.target.empty() ? std::string("cluster") : action.target,
                  std::string("failed: ") + e.what());
    }
}

// A cluster action happens once per run: shard 0 carries it out, the other shards (and an
// engine attached to somebody else's cluster) log it as skipped. Traffic changes apply to all.
std::string Engine::Impl::skip_reason(const TimelineAction& action) const {
    if (action.action == Action::set) return {};
    if (config.shard_index != 0)
        return "skipped: shard " + std::to_string(config.shard_index) + "/" + std::to_string(config.shard_count) +
               " (shard 0 carries out cluster actions)";
    if (!current() && attached() && !driven_target()) return "skipped: attached to a balancer somebody else runs";
    return {};
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
    const auto supervisor = m_impl->current();
    return supervisor ? supervisor->statuses() : std::vector<NodeStatus>{};
}

double Engine::elapsed_s() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->now_s();
}

std::string Engine::base_url() const {
    const auto supervisor = m_impl->current();
    if (const std::uint16_t port = m_impl->attached(); !supervisor && port) {
        std::lock_guard lock(m_impl->mutex);
        return "http://" + m_impl->attached_address + ":" + std::to_string(port);
    }
    return supervisor ? supervisor->base_url() : std::string{};
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
