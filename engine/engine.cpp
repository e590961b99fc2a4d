#include "engine.hpp"

#include "load/load_generator.hpp"
#include "metrics/node_poller.hpp"

#include <atomic>
#include <mutex>
#include <thread>

namespace statelab {

using Clock = std::chrono::steady_clock;

struct Engine::Impl {
    EngineConfig config;
    std::unique_ptr<Supervisor> supervisor;
    std::unique_ptr<LoadGenerator> load;
    ClusterSettings cluster;

    // The snapshot thread: a timer and the /metrics poller share one io_context.
    asio::io_context timer_context{1};
    std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> timer_guard;
    std::thread timer_thread;
    std::unique_ptr<NodePoller> poller;
    std::function<void(const Snapshot&)> handler;

    mutable std::mutex mutex; // events, recorder, clock
    std::vector<Event> pending_events;
    RunRecorder recorder;
    Clock::time_point started{};
    std::atomic<bool> running{false};
    std::uint64_t ticks = 0;

    double now_s() const {
        return started == Clock::time_point{} ? 0.0 : std::chrono::duration<double>(Clock::now() - started).count();
    }
    void log_event(std::string action, std::string target, std::string detail = {}) {
        std::lock_guard lock(mutex);
        pending_events.push_back({now_s(), std::move(action), std::move(target), std::move(detail)});
    }
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
    }
    std::filesystem::create_directories(m_impl->config.run_dir);
    m_impl->load = std::make_unique<LoadGenerator>(m_impl->config.load_threads);
    m_impl->poller = std::make_unique<NodePoller>(m_impl->timer_context.get_executor());
}

Engine::~Engine() { shutdown(); }

void Engine::set_snapshot_handler(std::function<void(const Snapshot&)> handler) {
    m_impl->handler = std::move(handler);
}

void Engine::launch(const ClusterSettings& settings, const std::function<void(const std::string&)>& progress) {
    shutdown();
    ClusterSpec spec;
    spec.mode = settings.mode;
    spec.nodes = settings.nodes;
    spec.balancer = settings.balancer;
    spec.session_ttl_s = settings.session_ttl_s;
    spec.session_padding = settings.session_padding;
    spec.bin_dir = m_impl->config.bin_dir;
    spec.run_dir = m_impl->config.run_dir;
    auto supervisor = std::make_unique<Supervisor>(spec);
    supervisor->launch(progress); // throws, having stopped what it started
    m_impl->supervisor = std::move(supervisor);
    m_impl->cluster = settings;
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->recorder = RunRecorder{};
        m_impl->started = Clock::now();
        m_impl->pending_events.clear();
    }
    m_impl->log_event("launch", "cluster",
                      std::string(mode_name(settings.mode)) + ", " + std::to_string(settings.nodes) + " nodes");
    m_impl->running = true;
    m_impl->timer_context.restart();
    m_impl->timer_guard = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(
        m_impl->timer_context.get_executor());
    asio::co_spawn(m_impl->timer_context, m_impl->snapshot_loop(), asio::detached);
    m_impl->timer_thread = std::thread([this] { m_impl->timer_context.run(); });
}

bool Engine::launched() const { return m_impl->supervisor != nullptr; }

void Engine::shutdown() {
    m_impl->load->stop();
    if (m_impl->running.exchange(false)) {
        m_impl->timer_guard.reset();
        m_impl->timer_context.stop();
        if (m_impl->timer_thread.joinable()) m_impl->timer_thread.join();
    }
    if (m_impl->supervisor) {
        m_impl->supervisor->shutdown();
        m_impl->supervisor.reset();
    }
}

std::string Engine::act(const std::string& action, const std::string& target) {
    if (!m_impl->supervisor) throw ClusterError("no cluster is running: launch one first");
    std::string detail;
    if (action == "kill" || action == "stop" || action == "remove") {
        // What the node held when it went: the yardstick for the lost sessions that follow.
        auto reports = m_impl->poller->latest();
        if (auto it = reports.find(target); it != reports.end() && it->second.sessions_active >= 0)
            detail = "held " + std::to_string(it->second.sessions_active) + " sessions";
    }
    std::string affected = m_impl->supervisor->apply(action, target);
    m_impl->log_event(action, affected, detail);
    return affected;
}

static std::string describe_change(const TrafficSettings& a, const TrafficSettings& b) {
    std::string out;
    auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
    if (a.users != b.users) add("users " + std::to_string(a.users) + " -> " + std::to_string(b.users));
    if (a.think_ms != b.think_ms) add("think " + std::to_string(a.think_ms) + " -> " + std::to_string(b.think_ms) + " ms");
    if (a.rate != b.rate) add("rate " + std::to_string(static_cast<long>(a.rate)) + " -> " + std::to_string(static_cast<long>(b.rate)) + "/s");
    if (a.journey != b.journey || a.browse_share != b.browse_share) add("journey " + a.journey + " -> " + b.journey);
    return out;
}

void Engine::start_traffic(const TrafficSettings& traffic) {
    if (!m_impl->supervisor) throw ClusterError("no cluster is running: launch one first");
    const tcp::endpoint target(asio::ip::address_v4::loopback(), m_impl->supervisor->balancer_port());
    m_impl->load->start(target, traffic);
    m_impl->log_event("start", "traffic", std::to_string(traffic.users) + " users");
}

void Engine::set_traffic(const TrafficSettings& traffic) {
    const TrafficSettings before = m_impl->load->settings();
    m_impl->load->update(traffic);
    if (std::string change = describe_change(before, traffic); !change.empty()) m_impl->log_event("set", "traffic", change);
}

void Engine::stop_traffic() {
    if (!m_impl->load->running()) return;
    m_impl->load->stop();
    m_impl->log_event("stop", "traffic");
}

TrafficSettings Engine::traffic() const { return m_impl->load->settings(); }
int Engine::active_users() const { return m_impl->load->active_users(); }

std::vector<NodeStatus> Engine::statuses() const {
    return m_impl->supervisor ? m_impl->supervisor->statuses() : std::vector<NodeStatus>{};
}

double Engine::elapsed_s() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->now_s();
}

std::string Engine::base_url() const { return m_impl->supervisor ? m_impl->supervisor->base_url() : std::string{}; }
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
    if (!supervisor) return out;
    for (const auto& s : supervisor->statuses())
        if (s.kind == ProcessKind::backend && s.state == ProcessState::up && s.port) out.emplace_back(s.name, s.port);
    return out;
}

Snapshot Engine::Impl::build_snapshot(const IntervalStats& interval) {
    Snapshot snap;
    snap.interval_s = std::chrono::duration<double>(config.interval).count();
    auto fill = [](NodeSample& out, const NodeCounters& c) {
        out.requests = c.requests, out.errors = c.errors, out.hits = c.hits;
        out.misses = c.misses, out.created = c.created, out.lost = c.lost;
        out.p50_ms = c.latency.quantile_ms(0.50);
        out.p95_ms = c.latency.quantile_ms(0.95);
        out.p99_ms = c.latency.quantile_ms(0.99);
    };
    snap.total.name = "*";
    fill(snap.total, interval.total);
    snap.failures = interval.failures;
    snap.processes = supervisor ? supervisor->statuses() : std::vector<NodeStatus>{};
    for (const auto& status : snap.processes) {
        const bool gone = status.state == ProcessState::down || status.state == ProcessState::stopped ||
                          status.state == ProcessState::failed || status.state == ProcessState::starting;
        if (gone) poller->forget(status.name);
    }
    const auto reports = poller->latest();
    for (const auto& status : snap.processes) {
        if (status.kind != ProcessKind::backend) continue;
        NodeSample sample;
        sample.name = status.name;
        sample.state = status.state;
        if (std::size_t n = node_number(status.name); n < interval.by_node.size()) fill(sample, interval.by_node[n]);
        if (auto it = reports.find(status.name); it != reports.end()) {
            sample.sessions_active = it->second.sessions_active;
            sample.rss_bytes = it->second.rss_bytes;
            sample.server_hits = it->second.hits;
            sample.server_misses = it->second.misses;
        }
        snap.nodes.push_back(std::move(sample));
    }
    snap.users = load->active_users();
    snap.rate = load->settings().rate;
    return snap;
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
        {
            std::lock_guard lock(mutex);
            snap.t_s = now_s();
            snap.events = std::move(pending_events);
            pending_events.clear();
            recorder.add(snap, interval);
        }
        if (handler) handler(snap);
        if (ticks++ % 4 == 0) poller->poll(backend_ports()); // once a second
    }
}

} // namespace statelab
