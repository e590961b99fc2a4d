#pragma once
// What the engine publishes every interval (250 ms): all counters of that interval.
// The GUI and the CLI read only this; they never see individual requests.
#include "model/event.hpp"
#include "model/node_status.hpp"
#include "model/story_status.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace statelab {

struct FailureCounts {
    std::uint64_t connect = 0, reset = 0, timeout = 0, http_4xx = 0, http_5xx = 0;
    // 413: the session (a client token over the cookie limit) or the cart outgrew its cap; apart
    // from the other 4xx, since it is the price of keeping state in the client.
    std::uint64_t too_large = 0;
    // A declared step not sent: a value the target gave (a capture) held CR, LF or NUL where it
    // would have gone into a header. Sent raw it would have smuggled a request into the target.
    std::uint64_t bad_capture = 0;
    std::uint64_t total() const { return connect + reset + timeout + http_4xx + http_5xx + too_large + bad_capture; }
    FailureCounts& operator+=(const FailureCounts& o) {
        connect += o.connect, reset += o.reset, timeout += o.timeout;
        http_4xx += o.http_4xx, http_5xx += o.http_5xx, too_large += o.too_large, bad_capture += o.bad_capture;
        return *this;
    }
};

// One node's numbers for one interval, as measured by the clients (X-Served-By tells the node).
struct NodeSample {
    std::string name; // "*" for all nodes together
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;  // failures attributed to this node
    std::uint64_t hits = 0;    // session found
    std::uint64_t misses = 0;  // 401 X-Session: miss
    std::uint64_t created = 0; // logins
    std::uint64_t lost = 0;    // the client's verdict: its cart is gone or wrong
    // Of those, sessions the balancer moved away from a node that stayed up (a re-hash after a
    // change of membership); per node, by the node that held them.
    std::uint64_t moved = 0;
    // Items a cart showed twice that its user added once: a write applied twice (a retry
    // without an Idempotency-Key after the first attempt was applied but its answer lost).
    std::uint64_t duplicates = 0;
    // Sessions gone after their user idled longer than the session TTL: expired as configured,
    // counted apart from (and not in) lost.
    std::uint64_t expired = 0;
    // Carts a user was shown that were never theirs (sticky-url, a shared link with the session
    // id in it): the client knows its own name, and the cart says whose it is.
    std::uint64_t leaked = 0;
    // Carts older than one their user had already been shown (the version went back): a cache
    // that served its copy without checking it (sticky-cached without the version check).
    std::uint64_t stale = 0;
    // HTTP header bytes, both ways, of the answered requests: the cost of state in a cookie.
    std::uint64_t header_bytes = 0;
    double p50_ms = 0, p95_ms = 0, p99_ms = 0;
    // Latest poll of the node's own /metrics (every second); -1 = unknown.
    std::int64_t sessions_active = -1;
    std::int64_t rss_bytes = -1;
    std::int64_t state_bytes = -1; // bytes of session state in the node's memory (0 with a shared store)
    std::int64_t server_hits = -1, server_misses = -1; // the node's own cumulative counts
    // Replicated mode, from the node's /metrics (-1 elsewhere): copies of session writes sent to
    // its buddy per second, and its cumulative counts (they restart with the node).
    double copies_per_s = -1;
    // sticky-cached, from the node's /metrics (-1 elsewhere or while unknown): the share of its
    // session loads answered from its local cache since the poll before (0..1), and its counts.
    double cache_hit_ratio = -1;
    std::int64_t cache_hits = -1, cache_misses = -1;
    std::int64_t copies_sent = -1, copies_failed = -1, copies_held = -1, taken_over = -1;
    ProcessState state = ProcessState::up;
};

struct Snapshot {
    double t_s = 0;          // end of the interval, seconds since the cluster was launched
    double traffic_s = 0;    // how long the traffic has run by then (TrafficClock): the run's duration
    bool traffic_running = false; // started and not stopped (users still winding down count as stopped)
    double interval_s = 0.25;
    NodeSample total;        // name "*"
    std::vector<NodeSample> nodes;
    FailureCounts failures;
    std::vector<Event> events; // what happened during this interval
    std::vector<EventLoss> lost_by_event; // this interval's lost sessions, by the event that lost them
    std::uint64_t lost_unexplained = 0;   // ... and those no event explains
    // Sessions in the shared store (Redis) where the mode keeps them there; -1 otherwise.
    // Per node, sessions_active is then 0: a node holds only what is in its own memory.
    std::int64_t store_sessions = -1;
    std::int64_t store_state_bytes = -1; // ... and the store's used memory (Redis INFO used_memory)
    // The store process that takes writes now: "redis", or after a Sentinel failover the
    // replica it promoted; empty in modes without a store, or while no sentinel can tell.
    std::string store_primary;
    std::vector<NodeStatus> processes; // every process of the cluster (nodes, balancer, redis)
    // The busiest up node's requests over the mean of the up nodes this interval (1 = even;
    // 0 = no traffic).
    double imbalance = 0;
    int users = 0;             // virtual users active now
    double rate = 0;           // open-loop target rate now (0 = closed loop)
    StoryStatus story;         // the timeline being played (Engine::play), if any
    // False against a target that names no served_by header or cookie: nobody can tell which
    // server answered, so `nodes` is empty and the per-server charts say so instead of guessing.
    bool servers_known = true;
    // False when the lab did not start the servers (a target, a balancer somebody else runs):
    // their /metrics are not polled, so sessions held per server are not known.
    bool nodes_polled = true;
    // The lab's balancer's own view (BalancerWatch): the app servers it sends traffic to and those
    // it took out. Empty when it cannot be read (somebody else's balancer, HAProxy without its
    // stats socket, or before the first answer).
    struct BalancerBackend {
        std::string name;
        bool up = true;
    };
    std::vector<BalancerBackend> balancer_backends;
};

} // namespace statelab
