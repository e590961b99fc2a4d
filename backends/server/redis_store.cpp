#include "server/redis_store.hpp"

#include <charconv>

#include "server/session_id.hpp"

#include <hiredis/hiredis.h>

#include <sys/time.h>

namespace statelab {

void RedisStore::ReplyDeleter::operator()(redisReply* r) const { freeReplyObject(r); }
void RedisStore::ContextDeleter::operator()(redisContext* c) const { redisFree(c); }

static timeval to_timeval(std::chrono::milliseconds ms) {
    return {static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>(ms.count() % 1000 * 1000)};
}

RedisStore::RedisStore(RedisConfig config)
    : m_config(std::move(config)),
      m_where(m_config.sentinels.empty() ? "redis at " + m_config.host + ":" + std::to_string(m_config.port)
                                         : "redis (primary not found yet)") {}

RedisStore::~RedisStore() = default;

RedisStore::Connection RedisStore::open(const std::string& host, std::uint16_t port, const std::string& where,
                                        std::string& error) {
    Connection c(redisConnectWithTimeout(host.c_str(), port, to_timeval(m_config.connect_timeout)));
    if (!c || c->err) {
        error = where + ": " + (c ? c->errstr : "out of memory");
        return nullptr;
    }
    redisSetTimeout(c.get(), to_timeval(m_config.command_timeout));
    if (!m_config.password.empty()) {
        Reply r(static_cast<redisReply*>(redisCommand(c.get(), "AUTH %b", m_config.password.data(),
                                                      m_config.password.size())));
        if (!r || r->type == REDIS_REPLY_ERROR) {
            error = where + ": AUTH failed" + (r ? std::string(": ") + r->str : "");
            return nullptr;
        }
    }
    return c;
}

bool RedisStore::find_primary(std::string& host, std::uint16_t& port, std::string& error) {
    if (m_config.sentinels.empty()) {
        host = m_config.host;
        port = m_config.port;
        return true;
    }
    for (std::uint16_t sentinel : m_config.sentinels) {
        const std::string where = "sentinel at 127.0.0.1:" + std::to_string(sentinel);
        Connection c = open("127.0.0.1", sentinel, where, error);
        if (!c) continue;
        Reply r(static_cast<redisReply*>(redisCommand(c.get(), "SENTINEL get-master-addr-by-name %s",
                                                      m_config.master_name.c_str())));
        if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2 || r->element[0]->type != REDIS_REPLY_STRING ||
            r->element[1]->type != REDIS_REPLY_STRING) {
            error = where + ": does not know the primary '" + m_config.master_name + "'";
            continue;
        }
        const int answered = std::atoi(r->element[1]->str);
        if (answered < 1 || answered > 65535) continue;
        host.assign(r->element[0]->str, r->element[0]->len);
        port = static_cast<std::uint16_t>(answered);
        return true;
    }
    if (error.empty()) error = "no sentinel answered";
    return false;
}

RedisStore::Connection RedisStore::connect(std::string& error) {
    std::string host;
    std::uint16_t port = 0;
    if (!find_primary(host, port, error)) return nullptr;
    const std::string where = (m_config.sentinels.empty() ? "redis at " : "redis primary at ") + host + ":" +
                              std::to_string(port);
    {
        std::lock_guard lock(m_pool_mutex);
        m_where = where;
    }
    return open(host, port, where, error);
}

std::string RedisStore::where() {
    std::lock_guard lock(m_pool_mutex);
    return m_where;
}

void RedisStore::drop_pool() {
    std::lock_guard lock(m_pool_mutex);
    m_pool.clear();
}

bool RedisStore::failing_fast(std::string& error) {
    std::lock_guard lock(m_pool_mutex);
    if (std::chrono::steady_clock::now() >= m_retry_at) return false;
    error = m_last_failure + " (not tried again for " + std::to_string(m_config.retry_interval.count()) + " ms)";
    return true;
}

void RedisStore::note_failure(const std::string& error) {
    std::lock_guard lock(m_pool_mutex);
    m_retry_at = std::chrono::steady_clock::now() + m_config.retry_interval;
    m_last_failure = error;
}

RedisStore::Reply RedisStore::command(std::string& error, const std::vector<std::string_view>& args) {
    if (failing_fast(error)) return nullptr;
    Connection c;
    {
        std::lock_guard lock(m_pool_mutex);
        if (!m_pool.empty()) {
            c = std::move(m_pool.back());
            m_pool.pop_back();
        }
    }
    if (!c) c = connect(error);
    if (!c) {
        note_failure(error);
        return nullptr;
    }

    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (auto a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    Reply reply(static_cast<redisReply*>(
        redisCommandArgv(c.get(), static_cast<int>(argv.size()), argv.data(), lens.data())));
    if (!reply) {
        // Timed out (a hung Redis) or dropped: this connection is done, the next call after the
        // retry interval reconnects.
        error = where() + ": " + (c->err ? c->errstr : "no reply");
        note_failure(error);
        if (!m_config.sentinels.empty()) drop_pool(); // the primary may have moved: ask again
        return nullptr;
    }
    if (reply->type == REDIS_REPLY_ERROR) {
        error = where() + ": " + std::string(reply->str, reply->len);
        if (std::string_view(reply->str, reply->len).starts_with("READONLY")) {
            // A replica now (a failover happened): every pooled connection goes to it.
            note_failure(error);
            drop_pool();
            return nullptr;
        }
        // A server-side error (e.g. NOAUTH, LOADING): the connection itself is fine to reuse.
    }
    const bool failed = reply->type == REDIS_REPLY_ERROR;
    {
        std::lock_guard lock(m_pool_mutex);
        m_pool.push_back(std::move(c));
    }
    if (failed) return nullptr;
    return reply;
}

SaveResult RedisStore::create(const Session& session) {
    std::string id = new_session_id();
    SaveResult result = save(id, session);
    if (result.status == StoreStatus::ok) result.cookie = std::move(id);
    return result;
}

LoadResult RedisStore::load(std::string_view sid) {
    std::string error;
    const std::string key = key_for(sid);
    const std::string ttl = std::to_string(m_config.ttl.count());
    Reply r = command(error, {"GETEX", key, "EX", ttl});
    if (!r) return {StoreStatus::unavailable, {}, error};
    if (r->type == REDIS_REPLY_NIL) return {StoreStatus::not_found, {}, {}};
    try {
        return {StoreStatus::ok, session_from_json(std::string_view(r->str, r->len)), {}};
    } catch (const std::exception&) {
        return {StoreStatus::not_found, {}, "unreadable session in redis"};
    }
}

RedisStore::VersionPeek RedisStore::peek_version(std::string_view sid) {
    // EXPIRE then GETRANGE: the idle TTL is refreshed as a GETEX would, the value never sent.
    static constexpr std::string_view script =
        "if redis.call('EXPIRE', KEYS[1], ARGV[1]) == 0 then return false end "
        "return redis.call('GETRANGE', KEYS[1], 0, 40)";
    std::string error;
    const std::string key = key_for(sid);
    const std::string ttl = std::to_string(m_config.ttl.count());
    Reply r = command(error, {"EVAL", script, "1", key, ttl});
    if (!r) return {StoreStatus::unavailable, 0, error};
    if (r->type != REDIS_REPLY_STRING) return {StoreStatus::not_found, 0, {}};
    const std::string_view head(r->str, r->len); // {"v":12,"u":...
    std::uint64_t version = 0;
    if (!head.starts_with("{\"v\":")) return {StoreStatus::not_found, 0, "unreadable session in redis"};
    auto digits = head.substr(5);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (ec != std::errc{}) return {StoreStatus::not_found, 0, "unreadable session in redis"};
    return {StoreStatus::ok, version, {}};
}

SaveResult RedisStore::save(std::string_view sid, const Session& session) {
    std::string error;
    const std::string key = key_for(sid);
    const std::string value = session_to_json(session);
    const std::string ttl = std::to_string(m_config.ttl.count());
    Reply r = command(error, {"SET", key, value, "EX", ttl});
    if (!r) return {StoreStatus::unavailable, {}, error};
    return {StoreStatus::ok, {}, {}};
}

SaveResult RedisStore::save_if_unchanged(std::string_view sid, const Session& session) {
    // One script, so nothing runs between the version's check and the write (a WATCH/MULTI
    // would take three round trips). The version is compared as the digits session_to_json
    // writes first ({"v":12,...}), exactly, as text.
    static constexpr std::string_view script =
        "local cur = redis.call('GET', KEYS[1]) "
        "if not cur then return 0 end "
        "if string.match(cur, '^{\"v\":(%d+)') ~= ARGV[2] then return -1 end "
        "redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3]) "
        "return 1";
    std::string error;
    const std::string key = key_for(sid);
    const std::string value = session_to_json(session);
    const std::string read = std::to_string(session.version - 1);
    const std::string ttl = std::to_string(m_config.ttl.count());
    Reply r = command(error, {"EVAL", script, "1", key, value, read, ttl});
    if (!r) return {StoreStatus::unavailable, {}, error};
    if (r->type != REDIS_REPLY_INTEGER) return {StoreStatus::unavailable, {}, where() + ": unexpected reply to a save"};
    if (r->integer == 0) return {StoreStatus::not_found, {}, {}}; // expired or logged out meanwhile
    if (r->integer < 0) return {StoreStatus::conflict, {}, "the cart changed meanwhile (another request of this session)"};
    return {StoreStatus::ok, {}, {}};
}

StoreStatus RedisStore::destroy(std::string_view sid) {
    std::string error;
    Reply r = command(error, {"DEL", key_for(sid)});
    if (!r) return StoreStatus::unavailable;
    return r->integer > 0 ? StoreStatus::ok : StoreStatus::not_found;
}

StoreStats RedisStore::stats() {
    // Cluster-wide numbers: every node shares the one Redis. DBSIZE counts our keys (the lab's
    // Redis holds nothing else); used_memory is Redis's own view of the state's size.
    std::string error;
    StoreStats stats;
    if (Reply r = command(error, {"DBSIZE"})) stats.sessions_active = r->integer;
    if (Reply r = command(error, {"INFO", "memory"})) {
        std::string_view info(r->str, r->len);
        auto pos = info.find("used_memory:");
        if (pos != std::string_view::npos) stats.state_bytes = std::atoll(info.data() + pos + 12);
    }
    return stats;
}

} // namespace statelab
