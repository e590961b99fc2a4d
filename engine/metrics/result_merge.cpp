#include "lab_files.hpp"

#include "metrics/partial_result.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

namespace statelab {

namespace {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

struct Part {
    std::filesystem::path dir;
    json summary;
    LatencyHistogram histogram;
    unsigned index = 0, count = 0;
    double start_s = 0;
    std::vector<std::string> header; // timeseries.csv's; its rows are read by ShardRows
};

double round3(double v) { return std::round(v * 1000) / 1000; }

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
    return out;
}

Part read_part(const std::filesystem::path& dir) {
    Part p;
    p.dir = dir;
    p.summary = json::parse(read_text(dir / "summary.json"));
    if (!p.summary.contains("shard")) throw std::runtime_error(dir.string() + " is not a shard's result (no \"shard\" in summary.json)");
    const json& shard = p.summary["shard"];
    if (!shard.at("index").is_number_unsigned() || !shard.at("count").is_number_unsigned() ||
        !shard.at("traffic_start_s").is_number())
        throw std::runtime_error(dir.string() + ": summary.json's \"shard\" needs whole index and count and a traffic_start_s");
    p.index = shard.at("index").get<unsigned>();
    p.count = shard.at("count").get<unsigned>();
    p.start_s = shard.at("traffic_start_s").get<double>();
    if (p.count == 0 || p.count > 10000 || p.index >= p.count)
        throw std::runtime_error(dir.string() + ": shard " + std::to_string(p.index) + "/" + std::to_string(p.count) +
                                 " is not one of 1..10000 shards");
    if (!(p.start_s >= 0 && p.start_s <= 86400))
        throw std::runtime_error(dir.string() + ": traffic_start_s must be 0..86400 s, got " + shard.at("traffic_start_s").dump());
    p.histogram = histogram_from_json(read_text(dir / histogram_file));
    std::ifstream csv = open_to_read(dir / "timeseries.csv");
    std::string line;
    std::getline(csv, line);
    p.header = split(line);
    if (p.header.size() < 9 || p.header[0] != "t_s" || p.header[1] != "node")
        throw std::runtime_error(dir.string() + "/timeseries.csv has no t_s,node,... header");
    return p;
}

// All N shards of one scenario, each once: else the line that says what is off.
std::string check_parts(const std::vector<Part>& parts) {
    const Part& first = parts.front();
    std::set<unsigned> seen;
    for (const Part& p : parts) {
        if (p.summary.value("scenario", "") != first.summary.value("scenario", "") ||
            p.summary.value("mode", "") != first.summary.value("mode", ""))
            return p.dir.string() + " is a shard of another scenario ('" + p.summary.value("scenario", "") + "', not '" +
                   first.summary.value("scenario", "") + "')";
        if (p.count != first.count)
            return p.dir.string() + " is shard " + std::to_string(p.index) + "/" + std::to_string(p.count) + ", not of " +
                   std::to_string(first.count);
        if (p.header != first.header) return p.dir.string() + "/timeseries.csv has other columns";
        if (!seen.insert(p.index).second) return "shard " + std::to_string(p.index) + " is given twice";
    }
    if (seen.size() != first.count || *seen.rbegin() >= first.count)
        return "expected the " + std::to_string(first.count) + " shards 0.." + std::to_string(first.count - 1) + ", got " +
               std::to_string(seen.size());
    return {};
}

// A sum of counts that does not wrap: shards that claim more than a 64-bit count are refused.
std::uint64_t add_counts(std::uint64_t a, const json& b) {
    if (!b.is_number_unsigned()) throw std::runtime_error("a count is not a whole number of 0 or more: " + b.dump());
    std::uint64_t sum = 0;
    if (__builtin_add_overflow(a, b.get<std::uint64_t>(), &sum)) throw std::runtime_error("counts too large to add up");
    return sum;
}

// Counts add; `skip` keys are filled in later.
void add_numbers(json& into, const json& from) {
    for (auto it = from.begin(); it != from.end(); ++it) {
        if (it->is_object()) add_numbers(into[it.key()], *it);
        else if (it->is_number_unsigned() || it->is_number_integer())
            into[it.key()] = add_counts(into.contains(it.key()) ? into[it.key()].get<std::uint64_t>() : 0, *it);
    }
}

json merged_summary(const std::vector<Part>& parts, const LatencyHistogram& latency, double origin_s) {
    json out = {{"scenario", parts.front().summary["scenario"]}, {"mode", parts.front().summary["mode"]}};
    double duration = 0, imbalance_max = 0, imbalance_weighted = 0, header_bytes = 0, header_per_s = 0;
    std::uint64_t requests = 0;
    json failures = json::object(), sessions = json::object(), per_node = json::array(), events = json::array();
    for (const Part& p : parts) {
        const json& s = p.summary;
        const auto n = s.value("requests", std::uint64_t{0});
        duration = std::max(duration, s.value("duration_s", 0.0)); // each shard's traffic time
        requests = add_counts(requests, s.value("requests", json(0)));
        add_numbers(failures, s.value("failures", json::object()));
        add_numbers(sessions, s.value("sessions", json::object()));
        const json load = s.value("load", json::object()), bytes = s.value("bytes", json::object());
        imbalance_max = std::max(imbalance_max, load.value("imbalance_max", 0.0));
        imbalance_weighted += load.value("imbalance_mean", 0.0) * static_cast<double>(n);
        header_bytes += bytes.value("headers_per_request", 0.0) * static_cast<double>(n);
        header_per_s += bytes.value("headers_per_s", 0.0);
        for (const json& node : s.value("per_node", json::array())) {
            auto same = std::find_if(per_node.begin(), per_node.end(), [&](const json& x) { return x["name"] == node["name"]; });
            if (same == per_node.end()) {
                per_node.push_back(node);
                continue;
            }
            // Requests are the shard's own; the rest the servers report to every shard alike.
            for (auto it = node.begin(); it != node.end(); ++it)
                if (it.key() == "requests") (*same)["requests"] = add_counts((*same)["requests"].get<std::uint64_t>(), *it);
                else if (it->is_number_integer())
                    (*same)[it.key()] = std::max((*same).value(it.key(), std::int64_t{0}), it->get<std::int64_t>());
                else if (it->is_number()) (*same)[it.key()] = std::max((*same).value(it.key(), 0.0), it->get<double>());
        }
        for (json event : s.value("events", json::array())) {
            event["t_s"] = round3(event["t_s"].get<double>() - p.start_s + origin_s);
            event["shard"] = p.index;
            events.push_back(event);
        }
    }
    std::stable_sort(events.begin(), events.end(), [](const json& a, const json& b) { return a["t_s"].get<double>() < b["t_s"].get<double>(); });
    const double wreq = requests ? static_cast<double>(requests) : 1.0;
    out["duration_s"] = round3(duration);
    out["requests"] = requests;
    out["failures"] = failures;
    out["sessions"] = sessions;
    out["latency_ms"] = {{"p50", round3(latency.quantile_ms(0.50))}, {"p95", round3(latency.quantile_ms(0.95))},
                         {"p99", round3(latency.quantile_ms(0.99))}, {"max", round3(static_cast<double>(latency.max_us()) / 1000)}};
    out["load"] = {{"imbalance_max", round3(imbalance_max)}, {"imbalance_mean", round3(imbalance_weighted / wreq)}};
    out["bytes"] = {{"headers_per_request", round3(header_bytes / wreq)}, {"headers_per_s", round3(header_per_s)}};
    out["per_node"] = per_node;
    out["events"] = events;
    out["merged"] = {{"shards", parts.front().count}};
    return out;
}

const double interval_s = 0.25; // the engine's snapshot interval (EngineConfig::interval)

// One shard's timeseries.csv a row at a time, each with its interval number since the shard's
// traffic start. `run --shard` writes a snapshot's rows after the one before (a steady clock), so
// the interval numbers never go down: the shards merge like sorted lists, one row of each in
// memory. A file out of time order (only one made by hand) is refused, not read whole.
class ShardRows {
public:
    explicit ShardRows(const Part& part) : m_part(&part), m_in(open_to_read(part.dir / "timeseries.csv")) {
        std::string header;
        std::getline(m_in, header); // read_part checked it
        advance();
    }
    bool done() const { return m_done; }
    long interval() const { return m_interval; }
    const std::vector<std::string>& row() const { return m_row; }

    void advance() {
        std::string line;
        do {
            if (!std::getline(m_in, line)) {
                m_done = true;
                return;
            }
            ++m_line;
        } while (line.empty());
        m_row = split(line);
        if (m_row.size() != m_part->header.size()) throw std::runtime_error(csv_name() + " has a short row");
        const long k = std::lround((std::stod(m_row[0]) - m_part->start_s) / interval_s);
        if (k < m_interval)
            throw std::runtime_error(csv_name() + " is not in time order: line " + std::to_string(m_line) + " (t_s " + m_row[0] +
                                     ") comes after a later row");
        m_interval = k;
    }

private:
    std::string csv_name() const { return m_part->dir.string() + "/timeseries.csv"; }

    const Part* m_part;
    std::ifstream m_in;
    std::vector<std::string> m_row;
    long m_interval = std::numeric_limits<long>::min();
    std::size_t m_line = 1; // the header's
    bool m_done = false;
};

// One interval's merged rows: nodes in first-seen order (shard by shard, then as each wrote them).
using IntervalRows = std::vector<std::pair<std::string, std::vector<double>>>;

bool is_quantile(const std::string& column) { return column.starts_with("p") && column.ends_with("_ms"); }

void add_row(IntervalRows& nodes, const std::vector<std::string>& row, const std::vector<std::string>& header) {
    auto same = std::find_if(nodes.begin(), nodes.end(), [&](const auto& x) { return x.first == row[1]; });
    if (same == nodes.end()) {
        nodes.emplace_back(row[1], std::vector<double>(header.size(), 0.0));
        same = std::prev(nodes.end());
    }
    for (std::size_t c = 2; c < header.size(); ++c) {
        const double v = std::stod(row[c]);
        same->second[c] = is_quantile(header[c]) ? std::max(same->second[c], v) : same->second[c] + v;
    }
}

void write_interval(std::ostream& out, double t_s, const IntervalRows& nodes, const std::vector<std::string>& header) {
    char cell[64];
    std::snprintf(cell, sizeof cell, "%.3f", t_s);
    for (const auto& [node, values] : nodes) {
        std::string line = cell + ("," + node);
        for (std::size_t c = 2; c < header.size(); ++c) {
            char value[64];
            std::snprintf(value, sizeof value, is_quantile(header[c]) ? ",%.3f" : ",%.0f", values[c]);
            line += value;
        }
        out << line << '\n';
    }
}

// The interval next to merge: the lowest any shard is at, if any shard has rows left.
std::optional<long> next_interval(const std::vector<ShardRows>& shards) {
    std::optional<long> next;
    for (const ShardRows& s : shards)
        if (!s.done() && (!next || s.interval() < *next)) next = s.interval();
    return next;
}

// Rows of the same interval (since each shard's traffic start) and node add up; intervals in
// time order. Throws on a short, malformed or out-of-order row. Every shard's file is open
// until the end: N files at once.
void write_merged_csv(const std::vector<Part>& parts, double origin_s, const fs::path& path) {
    const auto& header = parts.front().header;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (std::size_t c = 0; c < header.size(); ++c) out << (c ? "," : "") << header[c];
    out << '\n';
    std::vector<ShardRows> shards;
    shards.reserve(parts.size());
    for (const Part& p : parts) shards.emplace_back(p);
    IntervalRows nodes;
    for (auto k = next_interval(shards); k; k = next_interval(shards)) {
        nodes.clear();
        for (ShardRows& s : shards)
            for (; !s.done() && s.interval() == *k; s.advance()) add_row(nodes, s.row(), header);
        write_interval(out, static_cast<double>(*k) * interval_s + origin_s, nodes, header);
    }
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

// The directories create_directories(out) makes, deepest first.
std::vector<fs::path> missing_directories(const fs::path& out) {
    std::vector<fs::path> missing;
    for (fs::path dir = out; !dir.empty() && !fs::exists(dir); dir = dir.parent_path()) missing.push_back(dir);
    return missing;
}

// --out while the merge streams into it: the merged timeseries.csv grows in a temporary file.
// Unless kept, it goes again with the directories made for it, so a refused merge leaves no
// --out behind and an existing --out as it was.
class StagedOut {
public:
    explicit StagedOut(const fs::path& out) : m_made(missing_directories(out)), m_csv(out / "timeseries.csv.tmp") {
        fs::create_directories(out);
    }
    StagedOut(const StagedOut&) = delete;
    StagedOut& operator=(const StagedOut&) = delete;
    ~StagedOut() {
        if (m_kept) return;
        std::error_code ignored;
        fs::remove(m_csv, ignored);
        for (const fs::path& dir : m_made) fs::remove(dir, ignored); // only empty ones go
    }
    const fs::path& csv() const { return m_csv; }
    void keep_csv_as(const fs::path& path) {
        fs::rename(m_csv, path);
        m_kept = true;
    }

private:
    std::vector<fs::path> m_made;
    fs::path m_csv;
    bool m_kept = false;
};

} // namespace

std::string merge_results(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out) {
    if (inputs.empty()) return "nothing to merge: give the shards' result directories";
    // The merge would overwrite a shard it is still to read (or has read): never.
    std::error_code ec;
    for (const auto& dir : inputs)
        if (std::filesystem::weakly_canonical(dir, ec) == std::filesystem::weakly_canonical(out, ec))
            return "--out " + out.string() + " is one of the inputs: merge into another directory";
    std::vector<Part> parts;
    try {
        for (const auto& dir : inputs) parts.push_back(read_part(dir));
    } catch (const std::exception& e) {
        return std::string("cannot read a shard's result: ") + e.what();
    }
    if (std::string problem = check_parts(parts); !problem.empty()) return problem;
    std::sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) { return a.index < b.index; });
    LatencyHistogram latency;
    for (const Part& p : parts) latency.merge(p.histogram);
    const double origin_s = parts.front().start_s;
    try {
        // Nothing in place before all is known to add up: a refused merge leaves no --out behind.
        StagedOut staged(out);
        write_merged_csv(parts, origin_s, staged.csv());
        const std::string summary = merged_summary(parts, latency, origin_s).dump(2) + "\n";
        write_text(out / "summary.json", summary);
        staged.keep_csv_as(out / "timeseries.csv");
        write_text(out / histogram_file, histogram_json(latency));
    } catch (const std::exception& e) {
        return std::string("cannot merge: ") + e.what();
    }
    return {};
}

} // namespace statelab
