#include "server/node_metrics.hpp"

#include "common/metric_names.hpp"
#include "common/process_stats.hpp"
#include "server/session_store.hpp"

namespace statelab {

namespace {

void metric(std::string& out, const char* name, const char* type, const char* help,
            const std::string& labels, long long value) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    out.append(name).append("{").append(labels).append("} ").append(std::to_string(value)).append("\n");
}

long long get(const std::atomic<std::uint64_t>& c) {
    return static_cast<long long>(c.load(std::memory_order_relaxed));
}

} // namespace

std::string NodeMetrics::prometheus_text(const std::string& node, const char* store,
                                         const StoreStats& stats, bool draining) const {
    const std::string labels = "node=\"" + node + "\",store=\"" + store + "\"";
    std::string out;
    out.reserve(2048);
    metric(out, metric_names::requests_total, "counter", "User requests handled (health checks and scrapes not included).",
           labels, get(requests));
    metric(out, metric_names::probe_requests_total, "counter", "Health checks (/healthz) and scrapes (/metrics) answered.",
           labels, get(probe_requests));
    metric(out, metric_names::session_hits_total, "counter", "Requests whose session was found.", labels,
           get(session_hits));
    metric(out, metric_names::requests_delayed, "gauge", "User requests held by --response-delay-ms right now.", labels,
           requests_delayed.load(std::memory_order_relaxed));
    metric(out, metric_names::session_misses_total, "counter",
           "Requests with a session id this node could not find (lost, expired or forged).", labels,
           get(session_misses));
    metric(out, metric_names::sessions_created_total, "counter", "Sessions created by login.", labels,
           get(sessions_created));
    metric(out, metric_names::store_errors_total, "counter", "Requests failed because the store was unavailable.",
           labels, get(store_errors));
    metric(out, metric_names::responses_4xx_total, "counter", "Responses with a 4xx status.", labels,
           get(responses_4xx));
    metric(out, metric_names::responses_5xx_total, "counter", "Responses with a 5xx status.", labels,
           get(responses_5xx));
    metric(out, metric_names::sessions_evicted_total, "counter",
           "Sessions dropped, least recently used first, to keep the node under its session cap.", labels,
           stats.evicted);
    metric(out, metric_names::sessions_active, "gauge",
           "Sessions held by the store (redis: the whole shared store; token: -1, stateless).", labels,
           stats.sessions_active);
    metric(out, metric_names::session_state_bytes, "gauge",
           "Bytes of session state (memory: this node; redis: used_memory; token: last cookie size).",
           labels, stats.state_bytes);
    metric(out, metric_names::resident_memory_bytes, "gauge", "Resident set size of this process.", labels,
           static_cast<long long>(resident_set_bytes()));
    metric(out, metric_names::draining, "gauge", "1 while draining after SIGTERM.", labels, draining ? 1 : 0);
    if (const auto& c = stats.cache) {
        metric(out, metric_names::local_cache_hits_total, "counter",
               "Session loads answered from this node's local cache (sticky-cached).", labels, c->hits);
        metric(out, metric_names::local_cache_misses_total, "counter",
               "Session loads that went to the shared store: not cached, too old, or written elsewhere.", labels,
               c->misses);
        metric(out, metric_names::local_cache_entries, "gauge", "Sessions in this node's local cache.", labels, c->entries);
    }
    if (const auto& r = stats.replication) {
        metric(out, metric_names::replication_copies_sent_total, "counter",
               "Session writes copied to this node's buddy (deletes included).", labels, r->copies_sent);
        metric(out, metric_names::replication_copies_failed_total, "counter",
               "Session writes whose copy did not reach the buddy (down, too slow, refused).", labels,
               r->copies_failed);
        metric(out, metric_names::replication_copies_held, "gauge",
               "Copies this node keeps for the nodes whose buddy it is.", labels, r->copies_held);
        metric(out, metric_names::sessions_taken_over_total, "counter",
               "Sessions of a node that died, found in a copy and served on by this node.", labels, r->taken_over);
        metric(out, metric_names::replication_peers_known, "gauge",
               "Other nodes this node knows the address of (read from the peers file).", labels, r->peers_known);
    }
    return out;
}

} // namespace statelab
