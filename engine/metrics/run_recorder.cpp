#include "metrics/run_recorder.hpp"

#include "metrics/partial_result.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace statelab {

NodeTotals& RunRecorder::node(const std::string& name) {
    for (auto& n : m_totals.per_node)
        if (n.name == name) return n;
    NodeTotals fresh;
    fresh.name = name;
    m_totals.per_node.push_back(std::move(fresh));
    return m_totals.per_node.back();
}

static void csv_row(std::string& out, double t, const NodeSample& n) {
    char line[320];
    std::snprintf(line, sizeof line, "%.3f,%s,%llu,%llu,%llu,%llu,%llu,%.3f,%.3f,%llu,%llu,%llu,%llu,%llu\n", t, n.name.c_str(),
                  static_cast<unsigned long long>(n.requests), static_cast<unsigned long long>(n.errors),
                  static_cast<unsigned long long>(n.hits), static_cast<unsigned long long>(n.misses),
                  static_cast<unsigned long long>(n.lost), n.p50_ms, n.p99_ms, static_cast<unsigned long long>(n.moved),
                  static_cast<unsigned long long>(n.duplicates), static_cast<unsigned long long>(n.expired),
                  static_cast<unsigned long long>(n.leaked), static_cast<unsigned long long>(n.stale));
    out += line;
}

void RunRecorder::add(const Snapshot& s, const IntervalStats& interval) {
    m_totals.duration_s = s.traffic_s;
    m_totals.requests += s.total.requests;
    m_totals.failures += s.failures;
    m_totals.created += s.total.created, m_totals.hits += s.total.hits;
    m_totals.misses += s.total.misses, m_totals.lost += s.total.lost, m_totals.moved += s.total.moved;
    m_totals.duplicates += s.total.duplicates, m_totals.expired += s.total.expired;
    m_totals.header_bytes += s.total.header_bytes, m_totals.leaked += s.total.leaked;
    m_totals.stale += s.total.stale;
    m_totals.latency.merge(interval.total.latency);
    if (s.imbalance > 0) {
        m_totals.imbalance_max = std::max(m_totals.imbalance_max, s.imbalance);
        m_totals.imbalance_sum += s.imbalance;
        ++m_totals.imbalance_intervals;
    }
    for (const auto& n : s.nodes) {
        NodeTotals& t = node(n.name);
        t.requests += n.requests;
        t.sessions_peak = std::max(t.sessions_peak, n.sessions_active);
        t.state_bytes_peak = std::max(t.state_bytes_peak, n.state_bytes);
        t.copies_sent.observe(n.copies_sent);
        t.copies_failed.observe(n.copies_failed);
        t.taken_over.observe(n.taken_over);
        t.cache_hits.observe(n.cache_hits);
        t.cache_misses.observe(n.cache_misses);
    }
    m_totals.events.insert(m_totals.events.end(), s.events.begin(), s.events.end());
    for (const EventLoss& loss : s.lost_by_event)
        if (loss.event_index < m_totals.events.size()) {
            Event& event = m_totals.events[loss.event_index];
            event.lost += loss.lost;
            if (loss.moved) event.moved += loss.lost;
        }
    std::string rows;
    csv_row(rows, s.t_s, s.total);
    for (const auto& n : s.nodes) csv_row(rows, s.t_s, n);
    m_series.append(rows);
}

static double round3(double v) { return static_cast<double>(static_cast<long long>(v * 1000 + 0.5)) / 1000; }

std::string RunRecorder::summary_json(const std::string& scenario_name, const std::string& mode) const {
    const RunTotals& t = m_totals;
    nlohmann::ordered_json per_node = nlohmann::ordered_json::array();
    nlohmann::ordered_json replication;
    std::int64_t cache_hits = 0, cache_loads = 0;
    for (const auto& n : t.per_node) {
        nlohmann::ordered_json node{{"name", n.name}, {"requests", n.requests},
                                    {"sessions_peak", std::max<std::int64_t>(0, n.sessions_peak)},
                                    {"state_bytes_peak", std::max<std::int64_t>(0, n.state_bytes_peak)}};
        // Somebody else's servers are not polled: what they held is not known, not 0.
        if (!m_target.first.empty()) node["sessions_peak"] = node["state_bytes_peak"] = "not known";
        if (n.copies_sent.seen) {
            const std::pair<const char*, std::int64_t> figures[] = {{"copies_sent", n.copies_sent.total},
                                                                    {"copies_failed", n.copies_failed.total},
                                                                    {"taken_over", n.taken_over.total}};
            for (const auto& [key, value] : figures) {
                node[key] = value;
                replication[key] = (replication.contains(key) ? replication[key].get<std::int64_t>() : 0) + value;
            }
        }
        if (n.cache_hits.seen) {
            // sticky-cached: the share of this node's session loads its local cache answered.
            const auto loads = n.cache_hits.total + n.cache_misses.total;
            node["local_cache_hit_ratio"] = loads > 0 ? round3(static_cast<double>(n.cache_hits.total) / static_cast<double>(loads)) : 0.0;
            cache_hits += n.cache_hits.total, cache_loads += loads;
        }
        per_node.push_back(node);
    }
    nlohmann::ordered_json events = nlohmann::ordered_json::array();
    for (const auto& e : t.events) {
        nlohmann::ordered_json ev{{"t_s", round3(e.t_s)}, {"action", event_action_name(e)}, {"target", e.target}};
        if (!e.detail.empty()) ev["detail"] = e.detail;
        if (e.lost > 0) ev["lost"] = e.lost;
        if (e.moved > 0) ev["moved"] = e.moved;
        if (e.duration_s > 0) ev["duration_s"] = round3(e.duration_s);
        if (e.exit_status) ev["exit_status"] = *e.exit_status;
        events.push_back(ev);
    }
    nlohmann::ordered_json j{
        {"scenario", scenario_name},
        {"mode", mode},
        {"duration_s", round3(t.duration_s)},
        {"requests", t.requests},
        {"failures",
         {{"connect", t.failures.connect}, {"reset", t.failures.reset}, {"timeout", t.failures.timeout},
          {"http_5xx", t.failures.http_5xx}, {"http_4xx", t.failures.http_4xx}, {"too_large", t.failures.too_large},
          {"bad_capture", t.failures.bad_capture}}},
        {"sessions", {{"created", t.created}, {"hits", t.hits}, {"misses", t.misses}, {"lost", t.lost}, {"moved", t.moved},
                      {"duplicates", t.duplicates}, {"expired", t.expired}, {"leaked", t.leaked}, {"stale", t.stale}}},
        {"latency_ms",
         {{"p50", round3(t.latency.quantile_ms(0.50))}, {"p95", round3(t.latency.quantile_ms(0.95))},
          {"p99", round3(t.latency.quantile_ms(0.99))}, {"max", round3(static_cast<double>(t.latency.max_us()) / 1000)}}},
        // The busiest node's requests over the mean of the nodes up, per 250 ms interval: 1 is
        // even; NAT behind IP stickiness piles users onto few nodes.
        {"load", {{"imbalance_max", round3(t.imbalance_max)}, {"imbalance_mean", round3(t.imbalance_mean())}}},
        // HTTP header bytes both ways (request + response): a session kept in a cookie rides
        // in both on every request.
        {"bytes",
         {{"headers_per_request", t.requests ? round3(static_cast<double>(t.header_bytes) / static_cast<double>(t.requests)) : 0.0},
          {"headers_per_s", t.duration_s > 0 ? round3(static_cast<double>(t.header_bytes) / t.duration_s) : 0.0}}},
        {"per_node", per_node},
        {"events", events}};
    // Replicated mode: copies of session writes sent to buddies, those that did not arrive, and
    // sessions of dead nodes served on from a copy.
    if (!replication.is_null()) j["replication"] = replication;
    if (!m_target.first.empty()) j["target"] = {{"url", m_target.first}, {"served_by", m_target.second}};
    if (cache_loads > 0)
        j["cache"] = {{"local_hit_ratio", round3(static_cast<double>(cache_hits) / static_cast<double>(cache_loads))},
                      {"local_hits", cache_hits}, {"loads", cache_loads}};
    return j.dump(2) + "\n";
}

RunRecorder::Files RunRecorder::files(const std::string& scenario_name, const std::string& mode) const {
    return {summary_json(scenario_name, mode), m_series.view()};
}

void write_run_files(const std::filesystem::path& dir, const RunRecorder::Files& files) {
    std::filesystem::create_directories(dir);
    // write_text writes then renames: a reader never sees half a file, a crash keeps the old one.
    write_text(dir / "summary.json", files.summary_json);
    write_spooled(dir / "timeseries.csv", std::string(timeseries_csv_header) + "\n", files.timeseries);
}

} // namespace statelab
