#include "balancer/router.hpp"

#include "common/cookies.hpp"
#include "common/text_checks.hpp"

#include <algorithm>
#include <random>

namespace statelab {

Router::Router(RouterOptions options, const BackendTable& backends)
    : m_options(options), m_backends(backends), m_ring(options.vnodes) {
    for (std::size_t i = 0; i < backends.size(); ++i) m_ring.add(i, backends.at(i).name);
}

void Router::backend_added(std::size_t index) {
    std::unique_lock lock(m_ring_mutex);
    m_ring.add(index, m_backends.at(index).name);
}

void Router::backend_removed(std::size_t index) {
    std::unique_lock lock(m_ring_mutex);
    m_ring.remove(index);
}

bool Router::usable(std::size_t i, const std::vector<std::size_t>& tried) const {
    return m_backends.at(i).usable() &&
           std::find(tried.begin(), tried.end(), i) == tried.end();
}

// The turn goes round the nodes usable now, like HAProxy's roundrobin after a server goes down.
// Counting round all the slots and skipping a dead one handed its turn to its neighbour: with
// node-2 of three killed, node-3 carried twice node-1's load.
std::optional<std::size_t> Router::round_robin(const std::vector<std::size_t>& tried) {
    const std::size_t n = m_backends.size();
    std::size_t live = 0;
    for (std::size_t i = 0; i < n; ++i) live += usable(i, tried) ? 1 : 0;
    if (live == 0) return std::nullopt;
    std::size_t turn = m_next.fetch_add(1, std::memory_order_relaxed) % live;
    std::optional<std::size_t> first;
    for (std::size_t i = 0; i < n; ++i) {
        if (!usable(i, tried)) continue;
        if (turn-- == 0) return i;
        if (!first) first = i;
    }
    return first; // a node went down between the two passes: any usable one
}

std::optional<std::size_t> Router::least_conn(const std::vector<std::size_t>& tried) {
    std::optional<std::size_t> best;
    int best_active = 0;
    // Start at a rotating offset so ties spread instead of all going to node-1.
    const std::size_t n = m_backends.size();
    const std::size_t start = m_next.fetch_add(1, std::memory_order_relaxed);
    for (std::size_t step = 0; step < n; ++step) {
        std::size_t i = (start + step) % n;
        if (!usable(i, tried)) continue;
        int active = m_backends.at(i).active.load(std::memory_order_relaxed);
        if (!best || active < best_active) best = i, best_active = active;
    }
    return best;
}

std::optional<std::size_t> Router::random(const std::vector<std::size_t>& tried) {
    thread_local std::minstd_rand rng{std::random_device{}()};
    const std::size_t n = m_backends.size();
    const std::size_t start = rng() % n;
    for (std::size_t step = 0; step < n; ++step)
        if (std::size_t i = (start + step) % n; usable(i, tried)) return i;
    return std::nullopt;
}

// Map-based hashing like HAProxy's default: hash % N, skipping to the next node when that one
// is down. Cheap and even, but a change in N remaps almost every key (compare consistent-hash).
std::optional<std::size_t> Router::by_hash(std::uint64_t hash, const std::vector<std::size_t>& tried) {
    const std::size_t n = m_backends.size();
    for (std::size_t step = 0; step < n; ++step)
        if (std::size_t i = (hash + step) % n; usable(i, tried)) return i;
    return std::nullopt;
}

// The textbook naive placement: hash % N over the N nodes in rotation now. Any change of N
// (a node added, removed, down or back) remaps almost every key; consistent-hash is the cure.
std::optional<std::size_t> Router::mod_n(std::uint64_t hash, const std::vector<std::size_t>& tried) {
    std::vector<std::size_t> live;
    for (std::size_t i = 0; i < m_backends.size(); ++i)
        if (usable(i, tried)) live.push_back(i);
    if (live.empty()) return std::nullopt;
    return live[hash % live.size()];
}

std::optional<std::size_t> Router::consistent(std::string_view key, const std::vector<std::size_t>& tried) {
    std::shared_lock lock(m_ring_mutex);
    if (m_options.balance_factor == 0)
        return m_ring.lookup(key, [&](std::size_t i) { return usable(i, tried); });
    // Bounded load: no node may carry more than factor% of the average of in-flight requests.
    std::size_t up = 0;
    long long total = 1; // count this request
    for (std::size_t i = 0; i < m_backends.size(); ++i)
        if (usable(i, tried)) ++up, total += m_backends.at(i).active.load(std::memory_order_relaxed);
    if (up == 0) return std::nullopt;
    const long long cap = (total * m_options.balance_factor + 100 * static_cast<long long>(up) - 1) /
                          (100 * static_cast<long long>(up));
    auto pick = m_ring.lookup(key, [&](std::size_t i) {
        return usable(i, tried) && m_backends.at(i).active.load(std::memory_order_relaxed) < cap;
    });
    return pick ? pick : m_ring.lookup(key, [&](std::size_t i) { return usable(i, tried); });
}

RoutingKeys routing_keys(const Request& req, const asio::ip::address& peer) {
    RoutingKeys keys{peer, {}, {}, {}};
    if (auto v = request_cookie(req, Router::server_cookie)) keys.server_cookie = std::string(*v);
    if (auto v = query_param(req.target(), "node"); v && !v->empty()) keys.url_node = std::move(*v);
    if (auto v = request_cookie(req, "SID"); v && !v->empty()) keys.session_cookie = std::string(*v);
    return keys;
}

Route Router::by_cookie(const RoutingKeys& keys, const std::vector<std::size_t>& tried) {
    if (const auto& pinned = keys.server_cookie) {
        if (auto i = m_backends.find(*pinned)) {
            if (usable(*i, tried)) return {*i, false};
            // Pinned node is down: redispatch re-pins the user elsewhere (their in-memory
            // session is lost, which is exactly what the lab shows); none refuses.
            if (m_options.failover == Failover::none) return {};
            return {round_robin(tried), true};
        }
        // An unknown (or removed) node name counts as no cookie.
    }
    return {round_robin(tried), true};
}

std::optional<std::size_t> Router::by_url(const RoutingKeys& keys, const std::vector<std::size_t>& tried) {
    // Down or unknown: like HAProxy's use-server, the rule no longer applies and the request is
    // balanced (the node's sessions are lost to its users).
    if (keys.url_node)
        if (auto i = m_backends.find(*keys.url_node); i && usable(*i, tried)) return i;
    return round_robin(tried);
}

Route Router::pick(const RoutingKeys& keys, const std::vector<std::size_t>& tried) {
    if (m_backends.size() == 0) return {};
    switch (m_options.policy) {
    case Policy::round_robin: return {round_robin(tried)};
    case Policy::least_conn: return {least_conn(tried)};
    case Policy::random: return {random(tried)};
    case Policy::ip_hash: return {by_hash(hash64(keys.peer.to_string()), tried)};
    case Policy::cookie: return by_cookie(keys, tried);
    case Policy::hash_mod_n: return {mod_n(hash64(keys.peer.to_string()), tried)};
    case Policy::url_param: return {by_url(keys, tried)};
    case Policy::consistent_hash: {
        const bool by_sid = m_options.hash_key == HashKey::sid && keys.session_cookie;
        const std::string key = by_sid ? *keys.session_cookie : keys.peer.to_string();
        return {consistent(key, tried)};
    }
    }
    return {};
}

} // namespace statelab
