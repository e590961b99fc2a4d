#include "cluster/config_text.hpp"

#include "cluster/cluster_plan.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <string_view>

namespace statelab {

namespace {
// Whether this process may raise its hard file limit (root with CAP_SYS_RESOURCE; not root in
// most containers): tried by raising it by one and putting it back.
bool can_raise_file_limit(const rlimit& files) {
    rlimit more = files;
    more.rlim_max = files.rlim_max + 1;
    if (setrlimit(RLIMIT_NOFILE, &more) != 0) return false;
    setrlimit(RLIMIT_NOFILE, &files);
    return true;
}
} // namespace

HaproxyLimits haproxy_limits_within_files() {
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_max == RLIM_INFINITY) return {};
    long most_files = static_cast<long>(files.rlim_max);
    // HAProxy raises its own limit to what its maxconn needs: past the hard one only where this
    // process could, up to the kernel's per-process ceiling.
    if (can_raise_file_limit(files)) {
        std::ifstream nr_open("/proc/sys/fs/nr_open");
        long ceiling = 0;
        if (nr_open >> ceiling && ceiling > most_files) most_files = ceiling;
    }
    // HAProxy asks for two files a connection (client and server side) and a reserve.
    if (most_files >= 2L * haproxy_most_connections + 1000) return {};
    // Too few for that: one a client connection. The users idle between requests, so server
    // connections are shared (http-reuse safe) and far fewer than the users; HAProxy is told the
    // limit it has (ulimit-n) and to run with it (its strict-limits would refuse to start).
    HaproxyLimits limits;
    limits.file_limit = static_cast<int>(most_files);
    limits.maxconn = static_cast<int>(std::clamp<long>(most_files - 1000, 256, haproxy_most_connections));
    return limits;
}

std::string haproxy_config_text(const ClusterSettings& settings, const HaproxyLayout& layout) {
    const Mode mode = settings.mode;
    std::string cfg = layout.header;
    const std::string maxconn = std::to_string(layout.limits.maxconn);
    cfg += "global\n"
           "    maxconn " + maxconn + "\n";
    if (layout.limits.file_limit > 0)
        cfg += "    ulimit-n " + std::to_string(layout.limits.file_limit) + "\n    no strict-limits\n";
    else if (layout.limits.tolerate_fewer_files)
        cfg += "    # About two open files a connection; where the system allows fewer, HAProxy warns and\n"
               "    # runs with those instead of refusing to start.\n"
               "    no strict-limits\n";
    if (!layout.stats_socket.empty()) cfg += "    stats socket " + layout.stats_socket + " mode 600 level user\n";
    // maxconn again in defaults: a frontend's own limit is not the global one.
    // timeout check: a check may take 1 s to be answered (the builtin balancer's too). With only
    // `inter 250` a node that was merely busy (thousands of users, a laptop doing other work)
    // missed it, flapped DOWN and UP, and its users' sessions were counted lost. HAProxy gives a
    // check's connect min(inter, timeout connect) and waits `timeout check` only once it sees
    // the connection up: with `inter 250` a busy HAProxy still timed checks out at 251 ms
    // ("Layer7 timeout, check duration: 251ms", six programs spinning beside 10,000 users). So
    // `inter 1s` (the time a check may take), and `fastinter 250` once a check failed: a dead
    // node is still out within about 1.25 s, a paused one within about 3 s.
    cfg += "defaults\n"
           "    mode http\n"
           "    maxconn " + maxconn + "\n"
           "    option redispatch\n"
           "    retries 2\n"
           "    timeout connect 2s\n"
           "    timeout client 30s\n"
           "    timeout server 10s\n"
           "    timeout http-keep-alive 10s\n"
           "    timeout check 1s\n";
    // Docker's embedded DNS: a node container recreated with a new address is found again.
    if (layout.resolve_names)
        cfg += "resolvers docker\n"
               "    nameserver dns 127.0.0.11:53\n"
               "    hold valid 10s\n";
    cfg += "frontend statelab\n    bind " + layout.bind + "\n    default_backend nodes\nbackend nodes\n";
    const bool cookie = policy_for(settings) == Policy::cookie;
    // balance source hashes the client address: map-based (hash mod N, HAProxy's default) for
    // sticky-ip and hash-mod-n, a consistent ring for consistent-hash.
    if (mode == Mode::sticky_ip || mode == Mode::hash_mod_n)
        cfg += "    balance source\n    hash-type map-based\n";
    else if (mode == Mode::consistent_hash)
        cfg += "    balance source\n    hash-type consistent\n";
    else
        cfg += "    balance roundrobin\n";
    if (cookie) cfg += "    cookie SRV insert indirect nocache\n";
    cfg += "    option httpchk GET /healthz\n";
    // last,libc,none: a name that does not resolve yet (a node still starting, or `haproxy -c`
    // outside compose) leaves that server down until DNS knows it, instead of refusing to start.
    if (layout.resolve_names)
        cfg += "    default-server init-addr last,libc,none resolvers docker\n";
    for (const auto& server : layout.servers) {
        cfg +=
            "    server " + server.name + " " + server.address + " check inter 1s fastinter 250 downinter 250 fall 2 rise 2";
        if (cookie) cfg += " cookie " + server.name;
        cfg += "\n";
    }
    // sticky-url: the node named in the link's ?node=, while it is up; else round-robin.
    if (mode == Mode::sticky_url)
        for (const auto& server : layout.servers)
            cfg +=
                "    use-server " + server.name + " if { urlp(node) -m str " + server.name + " }\n";
    return cfg;
}

std::string redis_config_text(const RedisLayout& layout) {
    const bool standalone = !layout.port.empty();
    std::string text;
    if (standalone)
        text += "bind " + layout.bind + "\nport " + layout.port + "\ndir " + layout.dir + "\n";
    // masterauth too: after a failover Sentinel makes any of them a replica of another. A full
    // sync streams at once (Redis waits 5 s for more replicas by default: a primary killed in
    // those first seconds would leave a replica with nothing).
    text += "requirepass " + layout.password + "\nmasterauth " + layout.password +
            "\nrepl-diskless-sync-delay 0";
    if (!layout.replica_of.empty()) text += "\nreplicaof " + layout.replica_of;
    if (standalone)
        for (const auto& [option, value] : redis_in_memory_options)
            text += "\n" + option + " " + (value.empty() ? std::string("\"\"") : value);
    return text;
}

std::string sentinel_config_text(const SentinelLayout& layout) {
    const std::string master = sentinel_master_name;
    // Lab timings: a primary silent for 1 s is down (the default is 30 s), a failover that stalls
    // is tried again after 3 s. Two of the three sentinels must agree. The password protects the
    // sentinels themselves (requirepass), their talk to each other and to the Redis servers.
    std::string text = "port " + layout.port + "\nbind " + layout.bind + "\ndaemonize no\n";
    // Before `monitor`, which it changes: the primary may be named by host (compose's `redis`).
    if (layout.resolve_names) text += "sentinel resolve-hostnames yes\n";
    text += "dir " + layout.dir + "\n";
    text += "requirepass " + layout.password + "\n";
    text += "sentinel sentinel-pass " + layout.password + "\n";
    text += "sentinel monitor " + master + " " + layout.primary_host + " " + layout.primary_port + " 2\n";
    text += "sentinel auth-pass " + master + " " + layout.password + "\n";
    text += "sentinel down-after-milliseconds " + master + " 1000\n";
    text += "sentinel failover-timeout " + master + " 3000\n";
    text += "sentinel parallel-syncs " + master + " 1";
    return text;
}

} // namespace statelab
