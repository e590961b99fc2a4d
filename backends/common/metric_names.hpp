#pragma once
// The names of statelab-backend's Prometheus metrics (GET /metrics): one table, used by the
// server that writes them (backends/server/node_metrics) and the engine that reads them
// (engine/metrics/server_report). Tests read the page as any scraper would, by its text.
namespace statelab::metric_names {

inline constexpr const char* requests_total = "statelab_requests_total";
inline constexpr const char* probe_requests_total = "statelab_probe_requests_total";
inline constexpr const char* session_hits_total = "statelab_session_hits_total";
inline constexpr const char* requests_delayed = "statelab_requests_delayed";
inline constexpr const char* session_misses_total = "statelab_session_misses_total";
inline constexpr const char* sessions_created_total = "statelab_sessions_created_total";
inline constexpr const char* store_errors_total = "statelab_store_errors_total";
inline constexpr const char* responses_4xx_total = "statelab_responses_4xx_total";
inline constexpr const char* responses_5xx_total = "statelab_responses_5xx_total";
inline constexpr const char* sessions_evicted_total = "statelab_sessions_evicted_total";
inline constexpr const char* sessions_active = "statelab_sessions_active";
inline constexpr const char* session_state_bytes = "statelab_session_state_bytes";
inline constexpr const char* resident_memory_bytes = "statelab_resident_memory_bytes";
inline constexpr const char* draining = "statelab_draining";
inline constexpr const char* local_cache_hits_total = "statelab_local_cache_hits_total";
inline constexpr const char* local_cache_misses_total = "statelab_local_cache_misses_total";
inline constexpr const char* local_cache_entries = "statelab_local_cache_entries";
inline constexpr const char* replication_copies_sent_total = "statelab_replication_copies_sent_total";
inline constexpr const char* replication_copies_failed_total = "statelab_replication_copies_failed_total";
inline constexpr const char* replication_copies_held = "statelab_replication_copies_held";
inline constexpr const char* sessions_taken_over_total = "statelab_sessions_taken_over_total";
inline constexpr const char* replication_peers_known = "statelab_replication_peers_known";

} // namespace statelab::metric_names
