#pragma once
// The few series the engine reads from each app server's /metrics (Prometheus text format).
#include <cstdint>
#include <string_view>

namespace statelab {

// -1 means "not reported" (absent, or not a count: negative, fractional, not a number).
struct ServerReport {
    std::int64_t sessions_active = -1;
    std::int64_t rss_bytes = -1;
    // statelab_session_state_bytes: the sessions' bytes in the node's own memory; with a shared
    // store, the store's used memory (the same on every node).
    std::int64_t state_bytes = -1;
    std::int64_t hits = -1;   // statelab_session_hits_total
    std::int64_t misses = -1; // statelab_session_misses_total
    std::int64_t requests = -1;
    // Replicated mode (statelab_replication_*, statelab_sessions_taken_over_total).
    std::int64_t copies_sent = -1, copies_failed = -1, copies_held = -1, taken_over = -1;
    // sticky-cached (statelab_local_cache_*): loads answered from the node's local cache, and
    // those that went to Redis.
    std::int64_t cache_hits = -1, cache_misses = -1;
    // Set by the poller from two polls in a row: copies sent per second since the last one,
    // and the share of the loads since then answered from the local cache (0..1).
    double copies_per_s = -1;
    double cache_hit_ratio = -1;
};

// Parses those series out of Prometheus text: `name{labels} value [timestamp]`, first sample
// of each name wins; label values may hold spaces, braces and escaped quotes.
ServerReport parse_server_report(std::string_view prometheus_text);

} // namespace statelab
