#pragma once
// Which app servers the balancer itself considers up, read four times a second on a thread of
// its own (statelab-balancer's GET /lb/status, HAProxy's `show stat` on its stats socket; each
// read bounded by 1 s). A balancer takes a node out on its own — a check that timed out on a
// busy node, a refused connect — and the users it moves lose their sessions: every DOWN and UP
// it decides becomes an event with the balancer's own reason, so the loss is put down to it
// instead of to whatever the run did last.
#include "metrics/periodic_thread.hpp"
#include "model/event.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace statelab {

struct BackendView {
    std::string name;
    bool up = true;
    std::string reason; // the balancer's words for its last transition ("Layer7 timeout, ...")
    long changed_ms_ago = -1; // how long before the read that transition was (-1: not said)
    bool last_check_passed = false; // HAProxy: the latest check passed (L4OK, L7OK, ...)
    // Requests for this server the balancer sent to another one while it was up (HAProxy's
    // wredis: a connect to it failed and option redispatch moved the request); -1: not said.
    long redispatched = -1;
};

struct BalancerView {
    std::vector<BackendView> backends;
    long connections = -1;      // client connections it holds now (-1: it does not say)
    long connection_limit = -1; // ... and the most it takes (HAProxy's maxconn)
    std::uint64_t accept_failures = 0; // statelab-balancer: accepts that failed (out of files)
};

// GET /lb/status of statelab-balancer. Nothing when it is not that document.
std::optional<BalancerView> parse_builtin_status(std::string_view json);
// HAProxy's `show stat` CSV: the servers of `backend` and the frontend's connections.
std::optional<BalancerView> parse_haproxy_stat(std::string_view csv, std::string_view backend = "nodes");

// A transition the balancer made: balancer_down | balancer_up of a server, balancer_moved (it
// began sending a server's requests elsewhere while the server was up), or balancer_full (it
// holds as many client connections as it takes: new ones wait in the kernel's queue).
struct BalancerChange {
    EventKind kind;
    std::string target, detail;
    std::chrono::steady_clock::time_point at;
};

class BalancerWatch {
public:
    using Read = std::function<std::optional<BalancerView>()>;
    // `label`: the balancer as the events name it ("haproxy", "statelab-balancer").
    BalancerWatch(Read read, std::string label, std::chrono::milliseconds every = std::chrono::milliseconds(250));
    BalancerWatch(const BalancerWatch&) = delete;
    BalancerWatch& operator=(const BalancerWatch&) = delete;

    // The transitions seen since the last call, oldest first.
    std::vector<BalancerChange> take_changes();
    // The latest view (nothing before the first answer).
    std::optional<BalancerView> latest() const;

private:
    void look();

    Read m_read;
    std::string m_label;
    mutable std::mutex m_mutex;
    bool m_full = false;
    bool m_refusing = false; // its accepts failed at the last look
    // When each server's requests were last seen sent elsewhere: one event a spell, not a look.
    std::map<std::string, std::chrono::steady_clock::time_point> m_moving;
    std::chrono::steady_clock::time_point m_read_at{}; // when the last view was read
    std::optional<BalancerView> m_latest;
    std::vector<BalancerChange> m_changes;
    PeriodicThread m_thread; // last: stopped (joined) before the members it reads go
};

// The readers of the two balancers the lab runs.
BalancerWatch::Read read_builtin_balancer(std::uint16_t port);
BalancerWatch::Read read_haproxy(std::string stats_socket);

} // namespace statelab
