#pragma once
// Sessions in a shared redis-server: any node can serve any user, and a node's death loses
// nothing; Redis becomes the single point of failure instead. Keys are
// `statelab:sess:<id>` with the idle TTL, refreshed on every hit (GETEX).
//
// hiredis is used synchronously with short timeouts, one connection per store thread taken
// from a small pool: a loopback round trip costs tens of microseconds, far less than the
// complexity of an async adapter. The server makes every call on its store threads
// (blocks_on_network), never on the thread that answers /healthz. When Redis is down or hung,
// the call that finds out fails within the timeouts, and the calls after it fail at once with
// `unavailable` until a retry interval has passed (a circuit breaker: a hung Redis would
// otherwise cost every request the full timeout).
//
// With Sentinel (shared-store-ha): the primary's address is asked of the sentinels whenever a
// connection is made, and a failover is followed: a connection that fails, or a write refused
// with READONLY (the old primary came back as a replica), drops every pooled connection, and
// the next one asks the sentinels again.
#include "server/session_store.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

struct redisContext;
struct redisReply;

namespace statelab {

struct RedisConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 6379;
    std::string password; // empty: no AUTH
    std::chrono::seconds ttl{1800};
    std::chrono::milliseconds connect_timeout{300};
    std::chrono::milliseconds command_timeout{1000};
    std::chrono::milliseconds retry_interval{500}; // after a failure, calls fail at once this long
    // Sentinel: ports of the sentinels on 127.0.0.1 (the same password) and the name they watch
    // the primary by. Empty: host and port above are the one Redis.
    std::vector<std::uint16_t> sentinels;
    std::string master_name = "statelab";
};

class RedisStore final : public SessionStore {
public:
    explicit RedisStore(RedisConfig config);
    ~RedisStore() override;

    const char* name() const override { return "redis"; }
    SaveResult create(const Session& session) override;
    LoadResult load(std::string_view sid) override;
    SaveResult save(std::string_view sid, const Session& session) override;
    SaveResult save_if_unchanged(std::string_view sid, const Session& session) override;
    StoreStatus destroy(std::string_view sid) override;
    StoreStats stats() override;
    bool blocks_on_network() const override { return true; }

    // The version of a stored session, read from the first bytes of its value (and its idle TTL
    // refreshed), in one round trip: a cache in front checks its copy with it. not_found when
    // the session is gone.
    struct VersionPeek {
        StoreStatus status = StoreStatus::not_found;
        std::uint64_t version = 0;
        std::string detail;
    };
    VersionPeek peek_version(std::string_view sid);

    static std::string key_for(std::string_view sid) { return "statelab:sess:" + std::string(sid); }

private:
    struct ReplyDeleter { void operator()(redisReply* r) const; };
    using Reply = std::unique_ptr<redisReply, ReplyDeleter>;
    struct ContextDeleter { void operator()(redisContext* c) const; };
    using Connection = std::unique_ptr<redisContext, ContextDeleter>;

    // Runs one command on a pooled connection. On failure returns null and sets `error`;
    // a broken connection is dropped so the next call reconnects.
    Reply command(std::string& error, const std::vector<std::string_view>& args);
    Connection connect(std::string& error);
    // Where the primary is: the configured address, or what the first sentinel that answers says.
    bool find_primary(std::string& host, std::uint16_t& port, std::string& error);
    // A connection to 127.0.0.1:port, authenticated; null and `error` when that failed.
    Connection open(const std::string& host, std::uint16_t port, const std::string& where, std::string& error);
    void drop_pool();
    std::string where();

    // The circuit breaker: when the last connection failure was, and what it said.
    bool failing_fast(std::string& error);
    void note_failure(const std::string& error);

    RedisConfig m_config;
    std::string m_where; // "redis at 127.0.0.1:6379", for messages; guarded by m_pool_mutex
    std::mutex m_pool_mutex;
    std::vector<Connection> m_pool;
    std::chrono::steady_clock::time_point m_retry_at{}; // guarded by m_pool_mutex
    std::string m_last_failure;                         // guarded by m_pool_mutex
};

} // namespace statelab
