// statelab-backend: one app server of the lab's cluster (DESIGN.md, "The app server's HTTP contract").
#include "common/command_line.hpp"
#include "common/http_server.hpp"
#include "common/http_util.hpp"
#include "server/memory_store.hpp"
#include "server/cached_store.hpp"
#include "server/redis_store.hpp"
#include "server/replica_pages.hpp"
#include "server/replicated_store.hpp"
#include "server/session_id.hpp"
#include "server/shop_service.hpp"
#include "server/token_store.hpp"

#include <iostream>
#include <optional>

using namespace statelab;

static constexpr std::string_view program = "statelab-backend";

int main(int argc, char** argv) {
    std::string name, store_kind, redis, redis_sentinels, redis_master_name, redis_password_file, secret_file, buddy, peers_file, replication_token_file;
    unsigned port = 0, threads = 1, delay_ms = 0;
    long ttl = 1800;
    std::size_t padding = 0, max_sessions = 100'000;
    bool url_links = false, session_in_url = false, no_version_check = false;
    std::size_t cache_entries = 1000;
    unsigned cache_ttl_ms = 10'000;

    po::options_description options("Options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("name", po::value(&name)->default_value("node-1"), "node name, sent in X-Served-By")
        ("port", po::value(&port)->default_value(0), "TCP port on 127.0.0.1 (0 = pick a free one)")
        ("store", po::value(&store_kind)->default_value("memory"),
         "session store: memory | redis | token | replicated | cached (redis behind a local cache)")
        ("cache-entries", po::value(&cache_entries)->default_value(1000), "store=cached: sessions the local cache holds")
        ("cache-ttl-ms", po::value(&cache_ttl_ms)->default_value(10'000),
         "store=cached: how long a cached copy may be served since it was last read from or written to redis")
        ("no-version-check", po::bool_switch(&no_version_check),
         "store=cached: serve a cached copy without asking redis for its version (stale reads, to show why)")
        ("redis", po::value(&redis)->default_value("127.0.0.1:6379"), "redis-server address (store=redis)")
        ("redis-password-file", po::value(&redis_password_file), "file holding the Redis password")
        ("redis-sentinels", po::value(&redis_sentinels),
         "store=redis with Sentinel: 127.0.0.1:PORT[,127.0.0.1:PORT...]; the primary is asked of them (not --redis)")
        ("redis-master-name", po::value(&redis_master_name)->default_value("statelab"),
         "store=redis with Sentinel: the name the sentinels watch the primary by")
        ("secret-file", po::value(&secret_file),
         "file holding the HMAC key for store=token (all nodes must share it; default: random per process)")
        ("buddy", po::value(&buddy), "store=replicated: the node every session write is copied to (none: no copies)")
        ("peers-file", po::value(&peers_file),
         "store=replicated: where the nodes are, one `NAME PORT` line each (re-read when it changes)")
        ("replication-token-file", po::value(&replication_token_file),
         "store=replicated: file holding the token the nodes' /replica pages want")
        ("session-ttl", po::value(&ttl)->default_value(1800), "idle session lifetime in seconds")
        ("session-padding", po::value(&padding)->default_value(0), "extra bytes stored with every session")
        ("max-sessions", po::value(&max_sessions)->default_value(100'000),
         "store=memory: sessions held at most; a new one evicts the least recently used")
        ("threads", po::value(&threads)->default_value(1), "server threads")
        ("url-links", po::bool_switch(&url_links),
         "sticky-url: write this node's name into every link it returns (?node=NAME); the balancer routes by it")
        ("session-in-url", po::bool_switch(&session_in_url),
         "with --url-links: the session id rides in the links too (&sid=...), and is read from the URL first")
        ("response-delay-ms", po::value(&delay_ms)->default_value(0),
         "a slow server: every user request waits this long before it is answered (others are served meanwhile)");
    po::variables_map vm;
    parse_command_line(argc, argv, options, vm, program,
                       "usage: statelab-backend --name node-1 --port 0 --store memory|redis|token [options]\n"
                       "Serves the lab's shop on 127.0.0.1 and prints `listening 127.0.0.1:<port>` when ready.");

    if (port > 65535) exit_usage_error(program, "--port must be 0..65535");
    if (threads < 1 || threads > 64) exit_usage_error(program, "--threads must be 1..64");
    if (ttl < 1) exit_usage_error(program, "--session-ttl must be at least 1 second");
    if (delay_ms > 60'000) exit_usage_error(program, "--response-delay-ms must be at most 60000");
    if (padding > 64 * 1024 * 1024) exit_usage_error(program, "--session-padding must be at most 64 MiB");
    if (name.empty() || name.find_first_of(" \t\r\n\"") != std::string::npos)
        exit_usage_error(program, "--name must be a non-empty word");

    std::unique_ptr<SessionStore> store;
    std::optional<ReplicaPages> replica_pages; // store=replicated: the other nodes' way in
    if (store_kind == "memory") {
        if (max_sessions < 1) exit_usage_error(program, "--max-sessions must be at least 1");
        store = std::make_unique<MemoryStore>(std::chrono::seconds(ttl), MemoryStore::Clock::now,
                                              std::chrono::milliseconds(1000), max_sessions);
    } else if (store_kind == "redis" || store_kind == "cached") {
        auto endpoint = parse_loopback_endpoint(program, "--redis", redis);
        RedisConfig config;
        config.host = endpoint.address().to_string();
        config.port = endpoint.port();
        config.ttl = std::chrono::seconds(ttl);
        if (vm.count("redis-password-file"))
            config.password = read_secret_file(program, "--redis-password-file", redis_password_file);
        if (vm.count("redis-sentinels")) {
            std::size_t start = 0;
            while (start <= redis_sentinels.size()) {
                const std::size_t comma = std::min(redis_sentinels.find(',', start), redis_sentinels.size());
                config.sentinels.push_back(
                    parse_loopback_endpoint(program, "--redis-sentinels", redis_sentinels.substr(start, comma - start)).port());
                start = comma + 1;
            }
            if (redis_master_name.empty() || redis_master_name.find_first_of(" \t\r\n") != std::string::npos)
                exit_usage_error(program, "--redis-master-name must be a non-empty word");
            config.master_name = redis_master_name;
        }
        auto redis_store = std::make_unique<RedisStore>(std::move(config));
        if (store_kind == "cached") {
            if (cache_entries < 1) exit_usage_error(program, "--cache-entries must be at least 1");
            store = std::make_unique<CachedStore>(std::move(redis_store),
                                                  CacheConfig{cache_entries, std::chrono::milliseconds(cache_ttl_ms), !no_version_check});
        } else {
            store = std::move(redis_store);
        }
    } else if (store_kind == "token") {
        std::string secret;
        if (vm.count("secret-file")) {
            secret = read_secret_file(program, "--secret-file", secret_file);
        } else {
            secret = random_hex(32);
            std::cerr << program << ": no --secret-file: tokens from this node will not verify on others\n";
        }
        store = std::make_unique<TokenStore>(std::move(secret), std::chrono::seconds(ttl));
    } else if (store_kind == "replicated") {
        if (max_sessions < 1) exit_usage_error(program, "--max-sessions must be at least 1");
        if (!vm.count("peers-file") || !vm.count("replication-token-file"))
            exit_usage_error(program, "--store replicated needs --peers-file and --replication-token-file");
        const std::string token = read_secret_file(program, "--replication-token-file", replication_token_file);
        auto replicated = std::make_unique<ReplicatedStore>(
            ReplicationConfig{name, buddy, peers_file, token, std::chrono::seconds(ttl), max_sessions});
        replica_pages.emplace(replicated->copies(), token);
        store = std::move(replicated);
    } else {
        exit_usage_error(program, "--store must be memory, redis, token, replicated or cached, got '" + store_kind + "'");
    }

    HttpServer* server_ptr = nullptr;
    if (session_in_url && !url_links) exit_usage_error(program, "--session-in-url needs --url-links");
    ShopService shop({name, padding, url_links, session_in_url}, *store, [&] { return server_ptr && server_ptr->draining(); });
    const std::chrono::milliseconds delay(delay_ms);
    // A store that waits on the network is called from these threads: a hung Redis then holds
    // up the requests that need it, not the node's thread, and /healthz still answers at once.
    std::optional<asio::thread_pool> store_threads;
    if (store->blocks_on_network()) store_threads.emplace(4);
    HttpServer server(static_cast<std::uint16_t>(port), threads,
                      [&shop, &store_threads, &replica_pages, delay](Request& req, const Peer&) -> awaitable<Response> {
                          const std::string_view path = target_path(req.target());
                          if (replica_pages && ReplicaPages::is_replica_path(path)) co_return replica_pages->handle(req);
                          if (delay.count() > 0 && !ShopService::is_probe(path)) {
                              // Counted while held, so a test knows the request is in (not a guess of time).
                              auto& delayed = shop.metrics().requests_delayed;
                              delayed.fetch_add(1, std::memory_order_relaxed);
                              asio::steady_timer wait(co_await asio::this_coro::executor, delay);
                              error_code ec;
                              co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                              delayed.fetch_sub(1, std::memory_order_relaxed);
                          }
                          if (!store_threads || path == "/healthz") co_return shop.handle(req);
                          // Runs on a store thread; this coroutine resumes on its own thread.
                          co_return co_await asio::co_spawn(
                              *store_threads, [&]() -> awaitable<Response> { co_return shop.handle(req); },
                              asio::use_awaitable);
                      });
    server_ptr = &server;
    server.run();
    return 0;
}
