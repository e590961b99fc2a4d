#include "metrics/server_report.hpp"

#include "common/metric_names.hpp"

#include <charconv>
#include <optional>

namespace statelab {

namespace {

// The sample value of `line` if it is a sample of `metric`: after the name, an optional
// {label set} (quoted values skipped whole, with their escapes), blanks, then the value up to
// the next blank (a timestamp may follow).
std::optional<std::int64_t> sample_value(std::string_view line, std::string_view metric) {
    if (!line.starts_with(metric)) return std::nullopt;
    std::size_t at = metric.size();
    if (at < line.size() && line[at] == '{') {
        bool quoted = false;
        for (++at; at < line.size(); ++at) {
            const char c = line[at];
            if (quoted && c == '\\') ++at; // the escaped character is part of the value
            else if (c == '"') quoted = !quoted;
            else if (!quoted && c == '}') break;
        }
        if (at >= line.size()) return std::nullopt; // the label set never closed
        ++at;
    }
    if (at >= line.size() || (line[at] != ' ' && line[at] != '\t')) return std::nullopt; // a longer name
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
    std::size_t end = at;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r') ++end;
    std::string_view text = line.substr(at, end - at);
    if (text.ends_with(".0")) text.remove_suffix(2); // a count written as a float
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || value < 0) return -1; // present, but not a count
    return value;
}

std::int64_t value_of(std::string_view text, std::string_view metric) {
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        if (auto value = sample_value(text.substr(start, end - start), metric)) return *value;
        start = end + 1;
    }
    return -1;
}

} // namespace

ServerReport parse_server_report(std::string_view text) {
    ServerReport r;
    r.sessions_active = value_of(text, metric_names::sessions_active);
    r.rss_bytes = value_of(text, metric_names::resident_memory_bytes);
    r.state_bytes = value_of(text, metric_names::session_state_bytes);
    r.hits = value_of(text, metric_names::session_hits_total);
    r.misses = value_of(text, metric_names::session_misses_total);
    r.requests = value_of(text, metric_names::requests_total);
    r.copies_sent = value_of(text, metric_names::replication_copies_sent_total);
    r.copies_failed = value_of(text, metric_names::replication_copies_failed_total);
    r.copies_held = value_of(text, metric_names::replication_copies_held);
    r.taken_over = value_of(text, metric_names::sessions_taken_over_total);
    r.cache_hits = value_of(text, metric_names::local_cache_hits_total);
    r.cache_misses = value_of(text, metric_names::local_cache_misses_total);
    return r;
}

} // namespace statelab
