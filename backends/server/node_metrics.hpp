#pragma once
// The app server's own counters, served as Prometheus text on GET /metrics.
#include <atomic>
#include <cstdint>
#include <string>

namespace statelab {

struct StoreStats;

struct NodeMetrics {
    std::atomic<std::uint64_t> requests{0};        // user requests: the clients' count of this node
    std::atomic<std::uint64_t> probe_requests{0};  // /healthz and /metrics (balancer, engine), apart
    std::atomic<std::uint64_t> session_hits{0};     // requests whose session was found
    std::atomic<std::uint64_t> session_misses{0};   // a SID we did not know (lost/expired/forged)
    std::atomic<std::uint64_t> sessions_created{0}; // logins
    std::atomic<std::uint64_t> store_errors{0};     // store unavailable
    std::atomic<std::uint64_t> responses_4xx{0};
    std::atomic<std::uint64_t> responses_5xx{0};
    std::atomic<std::int64_t> requests_delayed{0}; // held by --response-delay-ms right now (a slow node)

    static void add(std::atomic<std::uint64_t>& c) { c.fetch_add(1, std::memory_order_relaxed); }

    std::string prometheus_text(const std::string& node, const char* store, const StoreStats& stats,
                                bool draining) const;
};

} // namespace statelab
