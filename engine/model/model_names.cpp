#include "model/node_status.hpp"
#include "model/scenario.hpp"

namespace statelab {

const char* mode_name(Mode mode) {
    switch (mode) {
    case Mode::sticky: return "sticky";
    case Mode::sticky_ip: return "sticky-ip";
    case Mode::shared_store: return "shared-store";
    case Mode::shared_store_ha: return "shared-store-ha";
    case Mode::client_token: return "client-token";
    case Mode::consistent_hash: return "consistent-hash";
    case Mode::hash_mod_n: return "hash-mod-n";
    case Mode::replicated: return "replicated";
    case Mode::sticky_url: return "sticky-url";
    case Mode::sticky_cached: return "sticky-cached";
    }
    return "?";
}

bool sessions_live_in_nodes(Mode mode) {
    // Replicated too: a session is in its node's memory and its buddy's; both gone, it is lost.
    return mode == Mode::sticky || mode == Mode::sticky_ip || mode == Mode::consistent_hash ||
           mode == Mode::hash_mod_n || mode == Mode::replicated || mode == Mode::sticky_url;
}

Policy policy_for(Mode mode) {
    switch (mode) {
    case Mode::sticky:
    case Mode::sticky_cached:
    case Mode::replicated: return Policy::cookie;
    case Mode::sticky_ip: return Policy::ip_hash;
    case Mode::sticky_url: return Policy::url_param;
    case Mode::consistent_hash: return Policy::consistent_hash;
    case Mode::hash_mod_n: return Policy::hash_mod_n;
    case Mode::shared_store:
    case Mode::shared_store_ha:
    case Mode::client_token: return Policy::round_robin;
    }
    return Policy::round_robin;
}

Policy policy_for(const ClusterSettings& settings) {
    if (settings.mode == Mode::sticky_cached && settings.cache_round_robin) return Policy::round_robin;
    return policy_for(settings.mode);
}

TrafficSettings apply_set(TrafficSettings t, const TimelineAction& a) {
    if (a.users) t.users = *a.users;
    if (a.rate) t.rate = *a.rate;
    if (a.think_ms) t.think_ms = *a.think_ms;
    if (a.journey) t.journey = *a.journey, t.declared = nullptr; // a built-in journey instead of the declared one
    return t;
}

std::optional<Mode> parse_mode(const std::string& text) {
    for (Mode m : all_modes)
        if (text == mode_name(m)) return m;
    return std::nullopt;
}

const char* balancer_name(BalancerKind kind) {
    switch (kind) {
    case BalancerKind::builtin: return "builtin";
    case BalancerKind::haproxy: return "haproxy";
    }
    return "?";
}

std::optional<BalancerKind> parse_balancer(const std::string& text) {
    for (BalancerKind k : {BalancerKind::builtin, BalancerKind::haproxy})
        if (text == balancer_name(k)) return k;
    return std::nullopt;
}

const char* process_state_name(ProcessState state) {
    switch (state) {
    case ProcessState::starting: return "starting";
    case ProcessState::up: return "up";
    case ProcessState::down: return "down";
    case ProcessState::paused: return "paused";
    case ProcessState::draining: return "draining";
    case ProcessState::stopped: return "stopped";
    case ProcessState::failed: return "failed";
    case ProcessState::quiet: return "no traffic";
    }
    return "?";
}

} // namespace statelab
