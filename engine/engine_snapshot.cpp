// The snapshot loop: every interval, the load's counters and the nodes' reports become one
// Snapshot for the window and the recorder.
#include "engine_impl.hpp"

namespace statelab {

// The moved sessions of the interval's losses: in total, and per node by the node that held them.
static void count_moved(Snapshot& snap, const ServerNames& names) {
    for (const EventLoss& loss : snap.lost_by_event) {
        if (!loss.moved) continue;
        snap.total.moved += loss.lost;
        const std::string holder = names.name(loss.holder);
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
    const auto system = this->system();
    const double now = [&] {
        std::lock_guard lock(mutex);
        return now_s();
    }();
    if (system) snap.processes = system->snapshot_statuses(interval, load->server_names(), now, load->running());
    for (const auto& status : snap.processes) {
        const bool gone = status.state == ProcessState::down || status.state == ProcessState::stopped ||
                          status.state == ProcessState::failed || status.state == ProcessState::starting;
        if (gone) clock->poller->forget(status.name);
    }
    const auto reports = clock->poller->latest();
    const Mode mode = this->mode();
    const bool in_nodes = sessions_live_in_nodes(mode);
    for (const auto& status : snap.processes) {
        if (status.kind != ProcessKind::backend) continue;
        NodeSample sample;
        sample.name = status.name;
        sample.state = status.state;
        if (std::size_t n = load->server_names().number(status.name); n < interval.by_node.size()) fill(sample, interval.by_node[n]);
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
    snap.servers_known = !system || system->servers_known();
    snap.nodes_polled = system && system->nodes_polled();
    snap.users = load->active_users();
    snap.rate = load->settings().rate;
    snap.store_primary = find_store_primary(snap.processes);
    if (balancer_watch)
        if (const auto view = balancer_watch->latest())
            for (const BackendView& b : view->backends) snap.balancer_backends.push_back({b.name, b.up});
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
            log_event({.kind = EventKind::failover,
                       .target = snap.store_primary,
                       .detail = "the sentinels promoted " + snap.store_primary + " to primary (" + store_primary + " was)"});
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
        log_event({.kind = EventKind::store_back, .target = "store", .detail = text, .duration_s = seconds});
    }
}

// The lab's balancer took a node out or back, or ran out of connections: events of their own,
// at the moment it was seen.
void Engine::Impl::note_balancer_events() {
    if (!balancer_watch) return;
    for (BalancerChange& change : balancer_watch->take_changes()) {
        const double at_s = [&] {
            std::lock_guard lock(mutex);
            return std::max(0.0, std::chrono::duration<double>(change.at - started).count());
        }();
        log_event({.kind = change.kind, .target = std::move(change.target), .detail = std::move(change.detail)}, {}, at_s);
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
        take_snapshot();
        if (ticks++ % 4 == 0) // once a second
            if (const auto system = this->system()) clock->poller->poll(system->polled_ports());
    }
}

// One interval's figures and events as a Snapshot: recorded, and handed to the window.
void Engine::Impl::take_snapshot() {
    {
        const IntervalStats interval = load->take_interval();
        Snapshot snap = build_snapshot(interval);
        note_store_events(snap);
        note_balancer_events();
        {
            std::lock_guard lock(mutex);
            snap.t_s = now_s();
            snap.story = story.status();
            snap.events = std::move(pending_events);
            pending_events.clear();
            for (const Event& e : snap.events) attribution.note(e), traffic_clock.note(e);
            snap.traffic_s = traffic_clock.seconds(snap.t_s);
            snap.traffic_running = traffic_clock.running();
            snap.lost_by_event = attribution.attribute(interval.lost_by_holder, &snap.lost_unexplained);
            count_moved(snap, load->server_names());
            recorder.add(snap, interval);
        }
        if (handler) handler(snap);
    }
}

} // namespace statelab
