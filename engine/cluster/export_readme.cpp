#include "cluster/cluster_plan.hpp"
#include "cluster/config_export.hpp"
#include "cluster/export_documents.hpp"

namespace statelab {

namespace {

// Prose in raw strings: the text reads as it will be printed.
std::string describe_file(const std::string& file, const ClusterSettings& settings) {
    if (file == "haproxy.cfg")
        return "The balancer (HAProxy 2.6) with this mode's policy (" + std::string(policy_name(policy_for(settings))) + R"(),
  health checks (GET /healthz every second, each given 1 s; every 250 ms once one failed;
  down after 2 failures) and redispatch, as the lab runs it. Servers are named the way compose names them (node-1:8080 ...), resolved through
  Docker's DNS (resolvers docker); a name that does not resolve yet leaves its server down
  instead of stopping HAProxy (init-addr last,libc,none).
  Change: the bind address and port; the server addresses if you do not use compose.
)";
    if (file == "redis.conf")
        return R"(The session store: password-protected and purely in memory (save "", appendonly no)
  as in the lab, so a restart of Redis loses every session. For production consider
  appendonly yes. Change: requirepass and masterauth (CHANGE-ME).
)";
    if (file == "redis-replica.conf")
        return R"(The replica of redis (replicaof redis 6379), same settings. Sentinel promotes it when
  the primary fails. Change: requirepass and masterauth (CHANGE-ME), as in redis.conf.
)";
    if (file == "sentinel.conf")
        return R"(For the three sentinels (each container copies it: Sentinel rewrites its file). They
  watch the primary under the name "statelab"; two must agree that it is down. The timings
  are the lab's (down after 1000 ms, failover timeout 3000 ms): production often uses 5-30 s.
  Change: requirepass, sentinel-pass and auth-pass (CHANGE-ME).
)";
    if (file == "compose.yaml")
        return R"(The whole topology from public images (haproxy:2.6, redis:7), one service per app
  server. The app servers are placeholders: replace the image your-app:latest with your own.
  Their environment says what the lab's app server was told (store, Redis address, secret,
  buddy); the variable names are suggestions, use the ones your app reads.
  Run it with: docker compose up (the balancer is published on port 8080).
)";
    return "This file.\n";
}

// What the files cannot express: the app's share of the strategy.
std::string mode_notes(const ClusterSettings& settings) {
    switch (settings.mode) {
    case Mode::sticky:
        return R"(Sessions live in each app server's memory; the SRV cookie pins a user to one server.
When a server dies its users are sent elsewhere (redispatch) and their sessions are lost.
)";
    case Mode::sticky_ip:
        return R"(Sessions live in each app server's memory; the client's address picks the server
(balance source, hash mod N). Users behind one NAT all land on one server, and a user
whose address changes (a phone) loses the session.
)";
    case Mode::sticky_url:
        return R"(The app must put its own name in every link (?node=node-1): HAProxy routes by it
(use-server ... urlp(node)) and round-robins requests without it. A shared link carries
its reader to the author's server. Sessions live in the servers' memory.
)";
    case Mode::shared_store:
        return R"(The app keeps sessions in Redis (redis:6379, password in REDIS_PASSWORD): any server
answers any user, and a server's death loses nothing. Redis is the single point of failure.
)";
    case Mode::shared_store_ha:
        return R"(The app must find the primary through the sentinels (master name "statelab") and
follow a failover; writes not yet replicated when the primary dies are lost.
)";
    case Mode::sticky_cached:
        return std::string("The app keeps sessions in Redis behind a small local cache") +
               (settings.cache_version_check
                    ? ",\nchecking a cached copy's version against Redis before serving it."
                    : "\n(without a version check: stale reads are possible).") +
               " The cache is the app's job; the files\nonly give it Redis and " +
               (settings.cache_round_robin ? "round-robin routing.\n" : "cookie stickiness.\n");
    case Mode::client_token:
        return R"(The session is an HMAC-signed cookie: every app server needs the same secret
(SESSION_TOKEN_SECRET in compose.yaml, a placeholder). The files cannot carry it: set a
real random secret, the same for all servers, and keep the cookie under 4096 bytes.
)";
    case Mode::replicated:
        return R"(Cookie stickiness as in sticky. Copying each session to a buddy server (node-K to
node-K+1, SESSION_BUDDY) and finding the copy after a failover are the app's job, not
HAProxy's. A server and its buddy dying together lose sessions.
)";
    case Mode::consistent_hash:
        return R"(The client's address on a consistent ring (balance source, hash-type consistent):
only about 1/N of users move when a server joins or leaves. The lab's own balancer uses
160 virtual nodes per server; HAProxy's ring uses its own (by server weight). The
scenario sets no bounded load, so there is no hash-balance-factor line.
)";
    case Mode::hash_mod_n:
        return R"(The client's address, hash mod N (balance source, hash-type map-based): when N
changes most users move to another server and lose their in-memory sessions.
)";
    }
    return {};
}

} // namespace

std::string exported_label(const ClusterSettings& settings, const std::string& scenario_name) {
    // The label goes into comment lines: a line break in a scenario's name would end the comment
    // and put the rest of the name into haproxy.cfg or redis.conf as a directive.
    // YAML breaks lines at U+0085, U+2028 and U+2029 too (a name with U+2028 once added a
    // top-level key to compose.yaml): those and every C0/C1 control become a space.
    std::string name;
    for (std::size_t i = 0; i < scenario_name.size(); ++i) {
        const auto c = static_cast<unsigned char>(scenario_name[i]);
        const auto next = i + 1 < scenario_name.size() ? static_cast<unsigned char>(scenario_name[i + 1]) : 0;
        const auto third = i + 2 < scenario_name.size() ? static_cast<unsigned char>(scenario_name[i + 2]) : 0;
        if (c < 0x20 || c == 0x7f) {
            name += ' ';
        } else if (c == 0xC2 && next >= 0x80 && next <= 0x9F) { // U+0080..U+009F, U+0085 among them
            name += ' ', ++i;
        } else if (c == 0xE2 && next == 0x80 && (third == 0xA8 || third == 0xA9)) { // U+2028, U+2029
            name += ' ', i += 2;
        } else {
            name += static_cast<char>(c);
        }
    }
    return (name.empty() ? std::string("A StateLab cluster")
                         : "The StateLab scenario \"" + name + "\"") +
           " (mode " + mode_name(settings.mode) + ", " + std::to_string(settings.nodes) +
           " app server" + (settings.nodes == 1 ? "" : "s") + ")";
}

std::string export_readme_text(const ClusterSettings& settings, const std::string& scenario_name,
                               const std::vector<std::string>& files) {
    std::string text = exported_label(settings, scenario_name) + R"(,
exported by statelab-cli export-config from the generators the lab runs its cluster with.

PASSWORDS: every password and secret in these files is the placeholder CHANGE-ME, never
one from a lab run. Replace each one with a real secret before any use (grep -r CHANGE-ME .).

Files
-----
)";
    for (const auto& file : files) text += file + "\n  " + describe_file(file, settings);
    const std::string heading = "What this mode leaves to the app (" + std::string(mode_name(settings.mode)) + ")";
    text += "\n" + heading + "\n" + std::string(heading.size(), '-') + "\n" + mode_notes(settings);
    text += "\nThe app servers' contract, as in the lab: each listens on port 8080, answers\n"
            "GET /healthz with 200 while it serves (503 while draining), and drops a session idle\n"
            "for " + std::to_string(settings.session_ttl_s) + " s.\n";
    if (settings.balancer == BalancerKind::builtin)
        text += "The scenario ran behind the lab's own balancer (statelab-balancer); HAProxy with\n"
                "haproxy.cfg routes the same way, as the lab runs it with \"balancer\": \"haproxy\".\n";
    return text;
}

} // namespace statelab
