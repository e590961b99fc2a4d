#pragma once
// statelab-balancer's policies and their one name table: the balancer parses `--policy` with it,
// the engine writes that option (and reads a mode's policy) with it.
#include <optional>
#include <string_view>

namespace statelab {

// url-param: the node named in the URL's `node` query parameter (sticky-url: the backend writes
// it into every link, the jsessionid way), else round-robin.
enum class Policy { round_robin, least_conn, random, ip_hash, cookie, consistent_hash, hash_mod_n, url_param };
std::optional<Policy> parse_policy(std::string_view text);
const char* policy_name(Policy policy);

} // namespace statelab
