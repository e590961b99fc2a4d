#pragma once
// Balancing policies: which backend gets a request.
#include "balancer/backend.hpp"
#include "balancer/hash_ring.hpp"
#include "common/balancer_policy.hpp"

#include <optional>
#include <shared_mutex>
#include <string_view>
#include <vector>

namespace statelab {

enum class Failover { redispatch, none };

// What consistent-hash hashes. `source` keeps a client on one node from its first request;
// `sid` hashes the session cookie, which the login response mints on whatever node served it,
// so the next request usually lands elsewhere (kept to show exactly that mistake).
enum class HashKey { source, sid };

struct RouterOptions {
    Policy policy = Policy::round_robin;
    Failover failover = Failover::redispatch;
    HashKey hash_key = HashKey::source;
    unsigned vnodes = 160;
    unsigned balance_factor = 0; // consistent-hash bounded load in percent (HAProxy's hash-balance-factor); 0 = off
};

// What a routing decision may look at, taken from the request before it is rewritten.
struct RoutingKeys {
    asio::ip::address peer;
    std::optional<std::string> server_cookie;  // SRV: the node the client is pinned to
    std::optional<std::string> session_cookie; // SID: the consistent-hash key when present
    std::optional<std::string> url_node;       // ?node=: the url-param policy's node
};
RoutingKeys routing_keys(const Request& req, const asio::ip::address& peer);

struct Route {
    std::optional<std::size_t> backend; // empty: nobody can take it (-> 503)
    bool insert_cookie = false;         // cookie policy: tell the client where it is pinned now
};

class Router {
public:
    static constexpr std::string_view server_cookie = "SRV";

    Router(RouterOptions options, const BackendTable& backends);
    // The control endpoint changed the table: keep the hash ring in step.
    void backend_added(std::size_t index);
    void backend_removed(std::size_t index);

    // `tried` holds backends that already failed this request (connect refused): never again.
    Route pick(const RoutingKeys& keys, const std::vector<std::size_t>& tried);
    const RouterOptions& options() const { return m_options; }

private:
    bool usable(std::size_t i, const std::vector<std::size_t>& tried) const;
    std::optional<std::size_t> round_robin(const std::vector<std::size_t>& tried);
    std::optional<std::size_t> least_conn(const std::vector<std::size_t>& tried);
    std::optional<std::size_t> random(const std::vector<std::size_t>& tried);
    std::optional<std::size_t> by_hash(std::uint64_t hash, const std::vector<std::size_t>& tried);
    std::optional<std::size_t> consistent(std::string_view key, const std::vector<std::size_t>& tried);
    std::optional<std::size_t> mod_n(std::uint64_t hash, const std::vector<std::size_t>& tried);
    Route by_cookie(const RoutingKeys& keys, const std::vector<std::size_t>& tried);
    std::optional<std::size_t> by_url(const RoutingKeys& keys, const std::vector<std::size_t>& tried);

    RouterOptions m_options;
    const BackendTable& m_backends;
    mutable std::shared_mutex m_ring_mutex; // the ring changes only on add/remove
    HashRing m_ring;
    std::atomic<std::size_t> m_next{0};
};

} // namespace statelab
