#include "metrics/balancer_watch.hpp"

#include "cluster/probes.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace statelab {

namespace {

// statelab-balancer answers its status on the loop that proxies: with 10,000 users it took
// 0.02-0.42 s; at 300 ms a fifth of the reads gave up and the tile showed an older view.
constexpr std::chrono::milliseconds read_timeout{1000};

std::vector<std::string_view> split(std::string_view line, char by) {
    std::vector<std::string_view> out;
    for (std::size_t from = 0;;) {
        const auto at = line.find(by, from);
        out.push_back(line.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
        if (at == std::string_view::npos) return out;
        from = at + 1;
    }
}

long to_long(std::string_view text) {
    long value = 0;
    bool any = false;
    for (char c : text) {
        if (c < '0' || c > '9') return -1;
        value = value * 10 + (c - '0'), any = true;
    }
    return any ? value : -1;
}

// HAProxy's words for a check: "Layer7 timeout, check duration: 1001ms" (as its own log says).
std::string haproxy_reason(const std::map<std::string_view, std::string_view>& row) {
    auto field = [&](std::string_view name) {
        const auto it = row.find(name);
        return it == row.end() ? std::string_view{} : it->second;
    };
    std::string reason(field("check_desc"));
    if (reason.empty()) reason = field("check_status");
    if (const auto last = field("last_chk"); !last.empty() && last != reason) reason += reason.empty() ? std::string(last) : " (" + std::string(last) + ")";
    if (const auto ms = field("check_duration"); !ms.empty()) reason += ", check duration: " + std::string(ms) + "ms";
    return reason;
}

} // namespace

std::optional<BalancerView> parse_builtin_status(std::string_view json) {
    const auto doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("backends") || !doc["backends"].is_array()) return std::nullopt;
    BalancerView view;
    for (const auto& b : doc["backends"]) {
        if (!b.is_object() || !b.contains("name") || !b["name"].is_string()) return std::nullopt;
        BackendView backend;
        backend.name = b["name"].get<std::string>();
        backend.up = b.value("state", std::string("up")) == "up";
        if (b.contains("reason") && b["reason"].is_string()) backend.reason = b["reason"].get<std::string>();
        if (b.contains("changed_ms_ago") && b["changed_ms_ago"].is_number_integer())
            backend.changed_ms_ago = b["changed_ms_ago"].get<long>();
        if (b.contains("redispatched") && b["redispatched"].is_number_unsigned())
            backend.redispatched = b["redispatched"].get<long>();
        view.backends.push_back(std::move(backend));
    }
    if (const auto it = doc.find("accept_failures"); it != doc.end() && it->is_number_unsigned())
        view.accept_failures = it->get<std::uint64_t>();
    return view;
}

std::optional<BalancerView> parse_haproxy_stat(std::string_view csv, std::string_view backend) {
    // "# pxname,svname,...,status,...\n" then one line a proxy or server.
    if (!csv.starts_with("# ")) return std::nullopt;
    const auto lines = split(csv.substr(2), '\n');
    const auto header = split(lines.front(), ',');
    BalancerView view;
    bool any_server = false;
    for (std::size_t l = 1; l < lines.size(); ++l) {
        if (lines[l].empty()) continue;
        const auto cells = split(lines[l], ',');
        std::map<std::string_view, std::string_view> row;
        for (std::size_t c = 0; c < header.size() && c < cells.size(); ++c) row[header[c]] = cells[c];
        const std::string_view proxy = row["pxname"], server = row["svname"];
        if (server == "FRONTEND") {
            view.connections = std::max(view.connections, to_long(row["scur"]));
            view.connection_limit = std::max(view.connection_limit, to_long(row["slim"]));
            continue;
        }
        if (proxy != backend || server == "BACKEND") continue;
        // "UP", "UP 1/2" (up, going down), "DOWN", "DOWN 1/2" (down, going up), "MAINT", "no check".
        const std::string_view status = row["status"];
        BackendView b;
        b.name = std::string(server);
        b.up = status.starts_with("UP") || status == "no check" || status.starts_with("NOLB");
        b.reason = haproxy_reason(row);
        b.last_check_passed = row["check_status"].ends_with("OK");
        if (const long seconds = to_long(row["lastchg"]); seconds >= 0) b.changed_ms_ago = seconds * 1000;
        b.redispatched = to_long(row["wredis"]);
        view.backends.push_back(std::move(b));
        any_server = true;
    }
    if (!any_server) return std::nullopt;
    return view;
}

BalancerWatch::BalancerWatch(Read read, std::string label, std::chrono::milliseconds every)
    : m_read(std::move(read)), m_label(std::move(label)), m_thread(every, [this] { look(); }) {}

void BalancerWatch::look() {
    auto view = m_read();
    if (!view) return; // restarting, killed or paused: its last view stands
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(m_mutex);
    // Each server against its last view. A server seen for the first time (added, or the first
    // read) is no transition; one gone from the list was removed on purpose (an event of its own).
    for (const BackendView& b : view->backends) {
        if (!m_latest) break;
        const auto before = std::find_if(m_latest->backends.begin(), m_latest->backends.end(),
                                         [&](const BackendView& old) { return old.name == b.name; });
        if (before == m_latest->backends.end()) continue;
        if (before->up != b.up) {
            std::string detail = m_label + (b.up ? " takes it back" : " takes it out");
            // Read after a check passed again (HAProxy's "DOWN 1/2", on its way back up): the
            // reason of the checks that failed is gone; "Layer7 check passed" would explain nothing.
            if (!b.up && b.last_check_passed) detail += ": its checks failed (by this read one had passed again)";
            else if (!b.reason.empty()) detail += ": " + b.reason;
            // At the moment the balancer says it happened, not when this read got through: under
            // load its status answers late (a DOWN once came 12.8 s after the kill it followed).
            // Never before the read that still saw the old state.
            auto at = now;
            if (b.changed_ms_ago >= 0) at = std::max(m_read_at, now - std::chrono::milliseconds(b.changed_ms_ago));
            m_changes.push_back({b.up ? EventKind::balancer_up : EventKind::balancer_down, b.name, std::move(detail), at});
        }
        // Requests for a server that stayed up sent to another (a redispatch): a sticky user's
        // session stays behind on the node it was pinned to. One event when a spell starts
        // (nothing moved for 5 s before); the losses it brings are credited to it.
        constexpr auto spell_gap = std::chrono::seconds(5);
        if (b.redispatched < 0 || before->redispatched < 0 || b.redispatched <= before->redispatched) continue;
        const auto last = m_moving.find(b.name);
        if (last == m_moving.end() || now - last->second >= spell_gap)
            m_changes.push_back({EventKind::balancer_moved, b.name,
                                 m_label + " sent " + std::to_string(b.redispatched - before->redispatched) +
                                     " requests for " + b.name + " to other nodes: connecting to " + b.name +
                                     " failed (redispatch)",
                                 m_read_at});
        m_moving[b.name] = now;
    }
    if (view->connection_limit > 0) {
        const bool full = view->connections >= view->connection_limit;
        if (full && !m_full)
            m_changes.push_back({EventKind::balancer_full, "balancer",
                                 m_label + " holds " + std::to_string(view->connections) + " of its " +
                                     std::to_string(view->connection_limit) +
                                     " connections (maxconn): new ones wait in the kernel's queue",
                                 now});
        // Not full again until it has room to spare: no event per connection at the edge.
        if (full) m_full = true;
        else if (view->connections < view->connection_limit * 9 / 10) m_full = false;
    }
    // Its accepts failing (out of file descriptors): connections wait in the kernel's queue. One
    // event when it starts, not one per look while it lasts.
    const bool refusing = m_latest && view->accept_failures > m_latest->accept_failures;
    if (refusing && !m_refusing)
        m_changes.push_back({EventKind::balancer_full, "balancer",
                             m_label + " cannot accept connections (" +
                                 std::to_string(view->accept_failures - m_latest->accept_failures) +
                                 " failed accepts: out of file descriptors): new ones wait in the kernel's queue",
                             now});
    m_refusing = refusing;
    m_latest = std::move(view);
    m_read_at = now;
}

std::vector<BalancerChange> BalancerWatch::take_changes() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_changes, {});
}

std::optional<BalancerView> BalancerWatch::latest() const {
    std::lock_guard lock(m_mutex);
    return m_latest;
}

BalancerWatch::Read read_builtin_balancer(std::uint16_t port) {
    return [port]() -> std::optional<BalancerView> {
        const auto reply = http_request(port, "GET", "/lb/status", read_timeout);
        if (!reply || reply->status != 200) return std::nullopt;
        return parse_builtin_status(reply->body);
    };
}

BalancerWatch::Read read_haproxy(std::string stats_socket) {
    return [path = std::move(stats_socket)]() -> std::optional<BalancerView> {
        const auto reply = local_socket_exchange(path, "show stat\n", read_timeout);
        if (!reply) return std::nullopt;
        return parse_haproxy_stat(*reply);
    };
}

} // namespace statelab
