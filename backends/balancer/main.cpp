// statelab-balancer: the lab's load balancer (DESIGN.md, "Command lines").
#include "balancer/control_api.hpp"
#include "balancer/health_checker.hpp"
#include "balancer/proxy.hpp"
#include "balancer/upstream_pool.hpp"
#include "common/command_line.hpp"
#include "common/http_server.hpp"
#include "common/http_util.hpp"

#include <iostream>

using namespace statelab;

static constexpr std::string_view program = "statelab-balancer";

static void add_backends(BackendTable& backends, const std::vector<std::string>& specs) {
    for (const auto& spec : specs) {
        auto eq = spec.find('=');
        if (eq == std::string::npos || eq == 0)
            exit_usage_error(program, "--backend wants NAME=127.0.0.1:PORT, got '" + spec + "'");
        std::string name = spec.substr(0, eq);
        if (!is_node_name(name))
            exit_usage_error(program, "--backend: a name is 1..64 of A-Z a-z 0-9 . _ -, got '" + name + "'");
        auto endpoint = parse_loopback_endpoint(program, "--backend", std::string_view(spec).substr(eq + 1));
        if (!backends.add(name, endpoint))
            exit_usage_error(program, "--backend: the name '" + name + "' is used twice (or too many backends)");
    }
}

int main(int argc, char** argv) {
    std::string policy_text, failover_text, hash_key, control_token_file;
    std::vector<std::string> backend_specs;
    unsigned port = 0, threads = 1, health_ms = 500, health_timeout_ms = 1000, vnodes = 160, balance_factor = 0;
    unsigned server_timeout_ms = 10'000;

    po::options_description options("Options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("port", po::value(&port)->default_value(0), "TCP port on 127.0.0.1 (0 = pick a free one)")
        ("policy", po::value(&policy_text)->default_value("round-robin"),
         "round-robin | least-conn | random | ip-hash | cookie | consistent-hash | hash-mod-n | url-param")
        ("backend", po::value(&backend_specs), "NAME=127.0.0.1:PORT, repeat for each app server (none: add later\n"
         "with POST /lb/backends; until then every request gets 503)")
        ("failover", po::value(&failover_text)->default_value("redispatch"),
         "when a pinned (cookie) node is down: redispatch (re-pin elsewhere) | none (503)")
        ("health-interval-ms", po::value(&health_ms)->default_value(500), "active health check period")
        ("health-timeout-ms", po::value(&health_timeout_ms)->default_value(1000),
         "how long one health check may take (a paused node is down after 2 of these)")
        ("vnodes", po::value(&vnodes)->default_value(160), "consistent-hash: points per node on the ring")
        ("hash-key", po::value(&hash_key)->default_value("source"),
         "consistent-hash key: source (client address) | sid (SID cookie, else address: shows\n"
         "why hashing a session id minted by whichever node served the login breaks stickiness)")
        ("balance-factor", po::value(&balance_factor)->default_value(0),
         "consistent-hash bounded load, percent of average (e.g. 125); 0 = off")
        ("server-timeout-ms", po::value(&server_timeout_ms)->default_value(10'000),
         "how long to wait for a backend's response")
        ("threads", po::value(&threads)->default_value(1), "proxy threads")
        ("control-token-file", po::value(&control_token_file),
         "file holding the token POST/DELETE /lb/backends must send as X-Control-Token (without it they are open)");
    po::variables_map vm;
    parse_command_line(argc, argv, options, vm, program,
                       "usage: statelab-balancer --policy POLICY --backend node-1=127.0.0.1:PORT [--backend ...] [options]\n"
                       "Balances HTTP on 127.0.0.1 and prints `listening 127.0.0.1:<port>` when ready.\n"
                       "GET /lb/status shows each backend's state, active requests and request count.");

    RouterOptions router_options;
    auto policy = parse_policy(policy_text);
    if (!policy) exit_usage_error(program, "--policy: unknown policy '" + policy_text + "'");
    router_options.policy = *policy;
    if (failover_text == "redispatch") router_options.failover = Failover::redispatch;
    else if (failover_text == "none") router_options.failover = Failover::none;
    else exit_usage_error(program, "--failover must be redispatch or none, got '" + failover_text + "'");
    if (port > 65535) exit_usage_error(program, "--port must be 0..65535");
    if (threads < 1 || threads > 64) exit_usage_error(program, "--threads must be 1..64");
    if (health_ms < 50) exit_usage_error(program, "--health-interval-ms must be at least 50");
    if (health_timeout_ms < 50) exit_usage_error(program, "--health-timeout-ms must be at least 50");
    if (vnodes < 1 || vnodes > 10'000) exit_usage_error(program, "--vnodes must be 1..10000");
    if (balance_factor != 0 && balance_factor < 100)
        exit_usage_error(program, "--balance-factor must be 0 (off) or at least 100");
    if (hash_key == "source") router_options.hash_key = HashKey::source;
    else if (hash_key == "sid") router_options.hash_key = HashKey::sid;
    else exit_usage_error(program, "--hash-key must be source or sid, got '" + hash_key + "'");
    router_options.vnodes = vnodes;
    router_options.balance_factor = balance_factor;

    BackendTable backends;
    add_backends(backends, backend_specs);
    Router router(router_options, backends);
    ProxyOptions proxy_options;
    proxy_options.server_timeout = std::chrono::milliseconds(server_timeout_ms);
    Proxy proxy(backends, router, proxy_options);

    // A balancer has nothing to hand over on SIGTERM: finish in-flight requests and go.
    DrainPolicy drain{std::chrono::milliseconds(0), std::chrono::milliseconds(3000)};
    HealthChecker health(backends, std::chrono::milliseconds(health_ms), std::chrono::milliseconds(health_timeout_ms));
    std::string control_token;
    if (vm.count("control-token-file")) control_token = read_secret_file(program, "--control-token-file", control_token_file);
    else std::cerr << program << ": no --control-token-file: anyone on 127.0.0.1 may add and remove backends\n";
    ControlApi control(backends, router, health, control_token);
    HttpServer server(
        static_cast<std::uint16_t>(port), threads,
        [&](Request& req, const Peer& peer) -> awaitable<Response> {
            if (ControlApi::owns(target_path(req.target()))) co_return control.handle(req);
            co_return co_await proxy.handle(req, peer);
        },
        {}, drain);
    server.on_thread_exit = [] { UpstreamPool::for_this_thread().clear(); };
    control.count_accept_failures([&server] { return server.accept_failures(); });
    health.start();
    server.run();
    health.stop();
    // The pools are thread_local, but their sockets belong to the server's io_contexts: the
    // main thread's pool must go before the server does, not at process exit.
    UpstreamPool::for_this_thread().clear();
    return 0;
}
