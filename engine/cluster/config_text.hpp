#pragma once
// The text of the config files a cluster runs with (haproxy.cfg, redis.conf, sentinel.conf), as
// pure functions of the cluster's settings and of where its parts are. The lab's launch commands
// (loopback addresses, chosen ports, a run directory) and `statelab-cli export-config` (compose
// service names, well-known ports, placeholder secrets) both call these, so an exported cluster
// is the one the lab measured, not a second description of it that could drift.
#include "model/cluster_settings.hpp"

#include <string>
#include <utility>
#include <vector>

namespace statelab {

// An app server behind the balancer: its name (node-N) and "host:port" (127.0.0.1:40213 in the
// lab, node-1:8080 in compose).
struct ServerAddress {
    std::string name;
    std::string address;
};

// The lab drives at most 100,000 users (a scenario's users range): one connection each.
inline constexpr int haproxy_most_connections = 100000;

// Connections HAProxy takes at once, client side (its default, 4096 in the Debian build,
// queued the lab's 10,000 users), and the file limit it is told to live with (0: its own
// reckoning, two files a connection, which it raises its limit to and since 2.6 refuses to start
// without).
struct HaproxyLimits {
    int maxconn = haproxy_most_connections;
    int file_limit = 0;
    // A file for another machine (export): run with fewer files than maxconn wants, warning.
    bool tolerate_fewer_files = false;
};

struct HaproxyLayout {
    std::string header; // comment lines ("# ...\n") that open the file
    std::string bind;   // frontend address: "127.0.0.1:40212", "*:8080"
    std::vector<ServerAddress> servers;
    // Servers named by host name (compose): resolved through the container's DNS, and a name not
    // resolvable yet leaves its server down instead of failing the start (or `haproxy -c`).
    bool resolve_names = false;
    HaproxyLimits limits;
    // A local socket for `show stat` (the lab reads which servers HAProxy thinks are up); empty:
    // none (an exported file, whose user has their own monitoring).
    std::string stats_socket;
};

// The most connections an HAProxy started by this process can hold within the files it may
// have (its hard limit, or more where this process may raise it), at most
// haproxy_most_connections.
HaproxyLimits haproxy_limits_within_files();

// The balancer's policy for settings.mode in HAProxy's terms: cookie insert, balance source
// (map-based or consistent), round robin, sticky-url's use-server rules; checks and redispatch.
std::string haproxy_config_text(const ClusterSettings& settings, const HaproxyLayout& layout);

// Options both a lab Redis and an exported one keep: a pure in-memory store, no RDB snapshots and
// no AOF, so a restart loses every session (shared-store's single point of failure).
inline const std::vector<std::pair<std::string, std::string>> redis_in_memory_options = {
    {"save", ""}, {"appendonly", "no"}};

struct RedisLayout {
    std::string password;
    std::string replica_of; // "host port" of the primary; empty: a primary
    // Set for a file that runs on its own (export): these lines and redis_in_memory_options go in
    // the file. The lab leaves them empty and passes them on the command line instead.
    std::string bind, port, dir;
};
// Without a trailing newline (the lab's writer adds one).
std::string redis_config_text(const RedisLayout& layout);

struct SentinelLayout {
    std::string port, bind, dir, password;
    std::string primary_host, primary_port;
    bool resolve_names = false; // the primary is a host name (compose), not an IP
};
// A sentinel watching the primary under sentinel_master_name with lab timings. Without a trailing
// newline (the lab's writer adds one).
std::string sentinel_config_text(const SentinelLayout& layout);

} // namespace statelab
