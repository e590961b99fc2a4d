#include "common/balancer_policy.hpp"

namespace statelab {

std::optional<Policy> parse_policy(std::string_view text) {
    for (Policy p : {Policy::round_robin, Policy::least_conn, Policy::random, Policy::ip_hash, Policy::cookie,
                     Policy::consistent_hash, Policy::hash_mod_n, Policy::url_param})
        if (text == policy_name(p)) return p;
    return std::nullopt;
}

const char* policy_name(Policy policy) {
    switch (policy) {
    case Policy::round_robin: return "round-robin";
    case Policy::least_conn: return "least-conn";
    case Policy::random: return "random";
    case Policy::ip_hash: return "ip-hash";
    case Policy::cookie: return "cookie";
    case Policy::consistent_hash: return "consistent-hash";
    case Policy::hash_mod_n: return "hash-mod-n";
    case Policy::url_param: return "url-param";
    }
    return "?";
}

} // namespace statelab
