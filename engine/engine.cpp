#include "engine.hpp"

#include "load/load_generator.hpp"
#include "metrics/loss_attribution.hpp"
#include "cluster/cluster_plan.hpp"
#include "metrics/node_poller.hpp"
#include "metrics/store_watcher.hpp"
#include "story/run_recording.hpp"
#include "story/timeline_player.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>

namespace statelab {

using Clock = std::chrono::steady_clock;

struct Engine::Impl {
    EngineConfig config;
    bool owns_run_dir = false; // made by the engine under $TMPDIR: removed by it too
    // Written by the command thread (launch, shutdown) under `mutex`; read from any thread
    // through current(), which hands out a reference that keeps it alive while in use.
    std::shared_ptr<Supervisor> supervisor;
    std::uint16_t attached_port = 0; // attach(): the balancer somebody else runs (under `mutex`)
    std::size_t attached_nodes = 0;  // ... and the highest node number its answers named so far
    std::unique_ptr<LoadGenerator> load;
    ClusterSettings cluster;

    // One per launch: the snapshot timer and the /metrics poller on their own thread. Made new
    // for every run and destroyed with it, so nothing of a run (a pending timer, a poll answer)
    // can tick into the next one.
    struct SnapshotClock {
        std::unique_ptr<NodePoller> poller; // destroyed after the context and its coroutines
        asio::io_context context{1};
        asio::executor_work_guard<asio::io_context::executor_type> guard{context.get_executor()};
        std::thread thread;
        SnapshotClock() { poller = std::make_unique<NodePoller>(context.get_executor()); }
        ~SnapshotClock() { stop(); }
        void stop() {
            guard.reset();
            context.stop();
            if (thread.joinable()) thread.join();
        }
    };
    std::unique_ptr<SnapshotClock> clock;
    std::unique_ptr<StoreWatcher> store_watcher; // shared-store-ha: who is primary now
    std::string store_primary;                   // ... as the last snapshot said
    std::string outage_cause;                    // "kill redis": the blow the outage watch times
    std::function<void(const Snapshot&)> handler;

    // The commands take turns: the caller's thread and the story's. Never held while the story
    // thread is joined (it may be waiting for it).
    std::mutex commands;
    TimelinePlayer story;

    mutable std::mutex mutex; // events, recorder, recording, clock, supervisor, cluster
    RunRecording recording;
    std::vector<Event> pending_events;
    RunRecorder recorder;
    LossAttribution attribution;
    Clock::time_point started{};
    std::atomic<bool> running{false};
    std::uint64_t ticks = 0;

    std::uint16_t attached() const {
        std::lock_guard lock(mutex);
        return attached_port;
    }
    std::shared_ptr<Supervisor> current() const {
        std::lock_guard lock(mutex);
        return supervisor;
    }
    Mode mode() const {
        std::lock_guard lock(mutex);
        return cluster.mode;
    }
    double now_s() const {
        return started == Clock::time_point{} ? 0.0 : std::chrono::duration<double>(Clock::now() - started).count();
    }
    // Logs the event; `record` notes it in the run's recording at the same clock reading.
    // `at_s`: when it was asked for, if not now.
    void log_event(std::string action, std::string target, std::string detail = {}, double duration_s = 0,
                   const std::function<void(double)>& record = {}, std::optional<double> at_s = {}) {
        std::lock_guard lock(mutex);
        Event event{at_s.value_or(now_s()), std::move(action), std::move(target), std::move(detail)};
        event.duration_s = duration_s;
        if (record) record(event.t_s);
        pending_events.push_back(std::move(event));
    }
    std::string act(Action action, const std::string& target);
    void begin_run(const ClusterSettings& settings);
    std::string skip_reason(const TimelineAction& action) const;
    void start_traffic(const TrafficSettings& traffic);
    void set_traffic(const TrafficSettings& traffic);
    void stop_traffic(bool record);
    void perform(const TimelineAction& action);
    std::string find_store_primary(const std::vector<NodeStatus>& processes) const;
    void note_store_events(const Snapshot& snap);
    awaitable<void> snapshot_loop();
    Snapshot build_snapshot(const IntervalStats& interval);
    std::vector<std::pair<std::string, std::uint16_t>> backend_ports() const;
};

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
    m_impl->begin_run(settings);
}

void Engine::attach(const ClusterSettings& settings, std::uint16_t balancer_port) {
    shutdown();
    std::lock_guard turn(m_impl->commands);
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->attached_port = balancer_port;
        m_impl->attached_nodes = 0;
    }
    m_impl->begin_run(settings);
}

// What launch and attach share once a cluster is there: a fresh recorder, the run clock and
// the snapshot loop.
void Engine::Impl::begin_run(const ClusterSettings& settings) {
    {
        std::lock_guard lock(mutex);
        cluster = settings;
        recorder = RunRecorder{};
        recording.reset();
        attribution = LossAttribution(sessions_live_in_nodes(settings.mode));
        started = Clock::now();
        pending_events.clear();
        ticks = 0;
        store_primary.clear();
        outage_cause.clear();
    }
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

bool Engine::launched() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->supervisor != nullptr || m_impl->attached_port != 0;
}

void Engine::shutdown() {
    m_impl->story.stop(); // first, and without the commands' turn: its thread may wait for it
    std::lock_guard turn(m_impl->commands);
    m_impl->load->stop();
    m_impl->running = false;
    if (m_impl->clock) {
        m_impl->clock->stop(); // joins the snapshot thread (which reads clock->poller)...
        m_impl->clock.reset(); // ...then drops its pending work
    }
    m_impl->store_watcher.reset(); // the snapshot thread read it until it was joined just now
    std::shared_ptr<Supervisor> stopping;
    {
        std::lock_guard lock(m_impl->mutex);
        stopping = std::move(m_impl->supervisor);
        m_impl->attached_port = 0;
    }
    if (stopping) stopping->shutdown();
}

std::string Engine::act(Action action, const std::string& target) {
    std::lock_guard turn(m_impl->commands);
    return m_impl->act(action, target);
}

std::string Engine::Impl::act(Action action, const std::string& target) {
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
    const tcp::endpoint target(asio::ip::address_v4::loopback(), port);
    load->start(target, traffic);
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
    if (!current() && attached()) return "skipped: attached to a balancer somebody else runs";
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
    if (const std::uint16_t port = m_impl->attached(); !supervisor && port)
        return "http://127.0.0.1:" + std::to_string(port);
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
    std::lock_guard lock(m_impl->mutex);
    m_impl->recorder.write(dir, scenario_name, mode_name(m_impl->cluster.mode));
}

std::vector<std::pair<std::string, std::uint16_t>> Engine::Impl::backend_ports() const {
    std::vector<std::pair<std::string, std::uint16_t>> out;
    const auto running = current();
    if (!running) return out;
    for (const auto& s : running->statuses())
        if (s.kind == ProcessKind::backend && s.state == ProcessState::up && s.port) out.emplace_back(s.name, s.port);
    return out;
}

// The moved sessions of the interval's losses: in total, and per node by the node that held them.
static void count_moved(Snapshot& snap) {
    for (const EventLoss& loss : snap.lost_by_event) {
        if (!loss.moved) continue;
        snap.total.moved += loss.lost;
        const std::string holder = "node-" + std::to_string(loss.holder);
        for (NodeSample& node : snap.nodes)
            if (node.name == holder) node.moved += loss.lost;
    }
}

Snapshot Engine::Impl::build_snapshot(const IntervalStats& interval) {
    Snapshot snap;
    snap.interval_s = std::chrono::duration<double>(config.interval).count();
    auto fill = [](NodeSample& out, const NodeCounters& c) {
        out.requests = c.requests, out.errors = c.errors, out.hits = c.hits;
        out.misses = c.misses, out.created = c.created, out.lost = c.lost;
        out.duplicates = c.duplicates, out.expired = c.expired, out.header_bytes = c.header_bytes;
        out.leaked = c.leaked, out.stale = c.stale;
        out.p50_ms = c.latency.quantile_ms(0.50);
        out.p95_ms = c.latency.quantile_ms(0.95);
        out.p99_ms = c.latency.quantile_ms(0.99);
    };
    snap.total.name = "*";
    fill(snap.total, interval.total);
    snap.failures = interval.failures;
    const auto running = current();
    snap.processes = running ? running->statuses() : std::vector<NodeStatus>{};
    for (const auto& status : snap.processes) {
        const bool gone = status.state == ProcessState::down || status.state == ProcessState::stopped ||
                          status.state == ProcessState::failed || status.state == ProcessState::starting;
        if (gone) clock->poller->forget(status.name);
    }
    if (!running && attached()) {
        // Nobody here knows the cluster's processes: the nodes are those the answers named.
        for (std::size_t n = 1; n < interval.by_node.size(); ++n)
            if (interval.by_node[n].requests > 0) attached_nodes = std::max(attached_nodes, n);
        for (std::size_t n = 1; n <= attached_nodes; ++n) {
            NodeStatus status;
            status.name = "node-" + std::to_string(n);
            status.kind = ProcessKind::backend;
            status.state = ProcessState::up;
            snap.processes.push_back(std::move(status));
        }
    }
    const auto reports = clock->poller->latest();
    const Mode mode = this->mode();
    const bool in_nodes = sessions_live_in_nodes(mode);
    for (const auto& status : snap.processes) {
        if (status.kind != ProcessKind::backend) continue;
        NodeSample sample;
        sample.name = status.name;
        sample.state = status.state;
        if (std::size_t n = node_number(status.name); n < interval.by_node.size()) fill(sample, interval.by_node[n]);
        if (auto it = reports.find(status.name); it != reports.end()) {
            // In a shared-store mode every node reports the store's count: that is the store's line.
            sample.sessions_active = in_nodes ? it->second.sessions_active : 0;
            sample.state_bytes = in_nodes ? it->second.state_bytes : 0;
            if (!in_nodes && uses_redis(mode)) {
                snap.store_sessions = std::max(snap.store_sessions, it->second.sessions_active);
                snap.store_state_bytes = std::max(snap.store_state_bytes, it->second.state_bytes);
            }
            sample.rss_bytes = it->second.rss_bytes;
            sample.server_hits = it->second.hits;
            sample.server_misses = it->second.misses;
            sample.copies_per_s = it->second.copies_per_s;
            sample.cache_hit_ratio = it->second.cache_hit_ratio;
            sample.cache_hits = it->second.cache_hits;
            sample.cache_misses = it->second.cache_misses;
            sample.copies_sent = it->second.copies_sent;
            sample.copies_failed = it->second.copies_failed;
            sample.copies_held = it->second.copies_held;
            sample.taken_over = it->second.taken_over;
        }
        snap.nodes.push_back(std::move(sample));
    }
    snap.users = load->active_users();
    snap.rate = load->settings().rate;
    snap.store_primary = find_store_primary(snap.processes);
    std::uint64_t busiest = 0, sum = 0, up = 0;
    for (const NodeSample& n : snap.nodes)
        if (n.state == ProcessState::up) busiest = std::max(busiest, n.requests), sum += n.requests, ++up;
    if (sum > 0) snap.imbalance = static_cast<double>(busiest) * static_cast<double>(up) / static_cast<double>(sum);
    return snap;
}

std::string Engine::Impl::find_store_primary(const std::vector<NodeStatus>& processes) const {
    if (!store_watcher) {
        for (const NodeStatus& p : processes)
            if (p.kind == ProcessKind::redis) return p.name; // the one store of shared-store mode
        return {};
    }
    const auto port = store_watcher->primary_port();
    for (const NodeStatus& p : processes)
        if (port && is_store_process(p.name) && p.port == *port) return p.name;
    return {};
}

// A failover the sentinels made, and the end of an outage the users saw: events of their own.
void Engine::Impl::note_store_events(const Snapshot& snap) {
    if (!snap.store_primary.empty()) {
        if (!store_primary.empty() && snap.store_primary != store_primary)
            log_event("failover", snap.store_primary,
                      "the sentinels promoted " + snap.store_primary + " to primary (" + store_primary + " was)");
        store_primary = snap.store_primary;
    }
    if (const auto outage = load->outage().take_recovery()) {
        const double seconds = std::chrono::duration<double>(*outage).count();
        char text[160];
        std::string cause;
        {
            std::lock_guard lock(mutex);
            cause = outage_cause;
        }
        std::snprintf(text, sizeof text, "writes succeed again %.1f s after %s", seconds, cause.c_str());
        log_event("store-back", "store", text, seconds);
    }
}

awaitable<void> Engine::Impl::snapshot_loop() {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    auto next = Clock::now();
    error_code ec;
    while (running) {
        next += config.interval; // a fixed grid: intervals do not drift with the work done in them
        timer.expires_at(next);
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (!running) break;
        const IntervalStats interval = load->take_interval();
        Snapshot snap = build_snapshot(interval);
        note_store_events(snap);
        {
            std::lock_guard lock(mutex);
            snap.t_s = now_s();
            snap.story = story.status();
            snap.events = std::move(pending_events);
            pending_events.clear();
            for (const Event& e : snap.events) attribution.note(e);
            snap.lost_by_event = attribution.attribute(interval.lost_by_holder, &snap.lost_unexplained);
            count_moved(snap);
            recorder.add(snap, interval);
        }
        if (handler) handler(snap);
        if (ticks++ % 4 == 0) clock->poller->poll(backend_ports()); // once a second
    }
}

} // namespace statelab
