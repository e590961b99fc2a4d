#pragma once
// What a cluster is made of, as a user chooses it (a scenario's top-level fields, the window's
// cluster panel). Declared once: Scenario and the supervisor's ClusterSpec extend it.
#include "common/balancer_policy.hpp"

#include <optional>
#include <string>

namespace statelab {

// The most app servers a cluster may have: a scenario's `nodes`, and `add` on a running one.
inline constexpr int max_nodes = 32;

// Where sessions live and how the balancer routes (DESIGN.md, "The state strategies").
enum class Mode {
    sticky, sticky_ip, shared_store, shared_store_ha, client_token, consistent_hash, hash_mod_n, replicated,
    sticky_url,   // the node's name in every link (?node=), the balancer routes by it: jsessionid's way
    sticky_cached // Redis behind a small local cache on each node; cookie stickiness (or round-robin)
};
inline constexpr Mode all_modes[] = {Mode::sticky,       Mode::sticky_ip,       Mode::shared_store,
                                     Mode::shared_store_ha, Mode::client_token, Mode::consistent_hash,
                                     Mode::hash_mod_n,   Mode::replicated,      Mode::sticky_url,
                                     Mode::sticky_cached};

const char* mode_name(Mode mode);
std::optional<Mode> parse_mode(const std::string& text);
// The mode keeps each session in one app server's memory (so a node's death loses them).
bool sessions_live_in_nodes(Mode mode);

// The load balancer in front of the app servers: statelab-balancer or a real HAProxy.
enum class BalancerKind { builtin, haproxy };

const char* balancer_name(BalancerKind kind); // "builtin" | "haproxy", as in scenario files
std::optional<BalancerKind> parse_balancer(const std::string& text);

struct ClusterSettings {
    Mode mode = Mode::sticky;
    int nodes = 3;
    BalancerKind balancer = BalancerKind::builtin;
    int session_ttl_s = 1800;
    int session_padding = 0;
    // sticky-url: the session id rides in the links too (&sid=), not only in a cookie.
    bool session_in_url = false;
    // sticky-cached: route round-robin instead of by cookie (most reads then miss the cache),
    // and whether a cached copy is checked against Redis's version before it is served.
    bool cache_round_robin = false;
    bool cache_version_check = true;
};

// How the balancer routes (statelab-balancer --policy, the window's "Policy"): cookie | ip-hash
// (hash mod N) | consistent-hash (a ring: a change of N moves few users) | hash-mod-n (naive: it
// moves most) | round-robin. The Policy names are the balancer's own table (common/).
Policy policy_for(Mode mode);
// ... and as these settings ask (sticky-cached may route round-robin).
Policy policy_for(const ClusterSettings& settings);

} // namespace statelab
