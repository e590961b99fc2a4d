#pragma once
// What the engine's end-to-end tests share: an engine with its own run directory (Lab), the
// snapshots it published (SnapshotLog), waiting on the traffic, and reading the run's totals.
#include "engine.hpp"

#include <QDeadlineTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace statelab::test {

using namespace std::chrono_literals;

// Every snapshot the engine published, kept for the test to read from its own thread.
class SnapshotLog {
public:
    void add(const Snapshot& s) {
        std::lock_guard lock(m_mutex);
        m_snapshots.push_back(s);
    }
    std::size_t count() const {
        std::lock_guard lock(m_mutex);
        return m_snapshots.size();
    }
    std::deque<Snapshot> all() const {
        std::lock_guard lock(m_mutex);
        return m_snapshots;
    }
    std::optional<Snapshot> latest() const {
        std::lock_guard lock(m_mutex);
        if (m_snapshots.empty()) return std::nullopt;
        return m_snapshots.back();
    }
    // Requests per second over the last `n` snapshots (n = 4: the last second).
    double recent_rate(std::size_t n = 4) const {
        std::lock_guard lock(m_mutex);
        if (m_snapshots.size() < n) return 0;
        std::uint64_t requests = 0;
        double seconds = 0;
        for (auto it = m_snapshots.end() - static_cast<std::ptrdiff_t>(n); it != m_snapshots.end(); ++it)
            requests += it->total.requests, seconds += it->interval_s;
        return seconds > 0 ? static_cast<double>(requests) / seconds : 0;
    }
    // Waits (processing Qt events) until `more` snapshots beyond `seen` have arrived.
    bool wait_past(std::size_t seen, std::size_t more, int timeout_ms = 3000) const {
        QDeadlineTimer deadline(timeout_ms);
        while (count() < seen + more) {
            if (deadline.hasExpired()) return false;
            QTest::qWait(20);
        }
        return true;
    }

private:
    mutable std::mutex m_mutex;
    std::deque<Snapshot> m_snapshots;
};

// One engine with its own run directory; destroyed (cluster and traffic stopped) at scope exit,
// also when a QVERIFY returns early.
struct Lab {
    QTemporaryDir dir;
    SnapshotLog log;
    std::unique_ptr<Engine> engine;

    explicit Lab(Mode mode, int nodes = 3, BalancerKind balancer = BalancerKind::builtin)
        : Lab(ClusterSettings{.mode = mode, .nodes = nodes, .balancer = balancer}) {}
    explicit Lab(const ClusterSettings& cluster) {
        EngineConfig config;
        config.bin_dir = STATELAB_BIN_DIR;
        config.run_dir = dir.path().toStdString();
        engine = std::make_unique<Engine>(config);
        engine->set_snapshot_handler([this](const Snapshot& s) { log.add(s); });
        engine->launch(cluster);
    }
    ~Lab() { engine.reset(); } // before the directory goes
};

inline TrafficSettings closed_loop(int users, int think_ms = 100) {
    TrafficSettings t;
    t.users = users;
    t.think_ms = think_ms;
    t.journey = "shop";
    return t;
}

// Lets the traffic run until `done` holds (checked every 20 ms), at most `timeout`: a test waits
// for what it needs (so many requests, a node polled), never for a fixed time that a slow
// machine might not fill and a fast one would waste.
inline bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 20s) {
    QDeadlineTimer deadline(static_cast<qint64>(timeout.count()));
    while (!done()) {
        if (deadline.hasExpired()) return false;
        QTest::qWait(20);
    }
    return true;
}

// Sessions node `name` held at its latest /metrics poll (-1: not polled yet).
inline std::int64_t polled_sessions(const SnapshotLog& log, const std::string& name) {
    const auto latest = log.latest();
    if (!latest) return -1;
    for (const auto& n : latest->nodes)
        if (n.name == name) return n.sessions_active;
    return -1;
}

inline std::optional<NodeStatus> status_of(const Engine& engine, const std::string& name) {
    for (const auto& s : engine.statuses())
        if (s.name == name) return s;
    return std::nullopt;
}

inline std::uint64_t node_requests(const RunTotals& totals, const std::string& name) {
    for (const auto& n : totals.per_node)
        if (n.name == name) return n.requests;
    return 0;
}

// What a test looks for in the events: a kind, or a node action (EventIs(Action::kill)).
struct EventIs {
    EventKind kind;
    std::optional<Action> action;
    EventIs(EventKind k) : kind(k) {}
    EventIs(Action a) : kind(EventKind::node_action), action(a) {}
    bool operator()(const Event& e) const { return e.kind == kind && (!action || e.action == *action); }
};

inline std::optional<Event> find_event(const std::vector<Event>& events, EventIs what, const std::string& target) {
    for (const auto& e : events)
        if (what(e) && e.target == target) return e;
    return std::nullopt;
}
inline std::optional<Event> find_event(const RunTotals& totals, EventIs what, const std::string& target) {
    return find_event(totals.events, what, target);
}


} // namespace statelab::test
