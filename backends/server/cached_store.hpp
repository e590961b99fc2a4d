#pragma once
// sticky-cached: Redis is the source of truth, and each node keeps a small local cache of the
// sessions it served (bounded, with a short TTL). With sticky routing most reads are answered
// from that cache; with round-robin most miss and go to Redis. Every write goes through to
// Redis and refreshes the node's copy.
//
// With the version check (the default) a cached session is served only after Redis confirms
// its version (a few bytes read, RedisStore::peek_version): another node may have written it
// since. Without it the copy is served as it is while young enough, and a user who comes back
// to this node after writing elsewhere reads an older cart: the stale read the lab shows.
#include "server/redis_store.hpp"

#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <mutex>
#include <unordered_map>

namespace statelab {

struct CacheConfig {
    std::size_t max_entries = 1000;
    std::chrono::milliseconds ttl{10'000}; // how long a copy may be served without a write
    bool version_check = true;
};

class CachedStore final : public SessionStore {
public:
    using Clock = std::chrono::steady_clock;

    CachedStore(std::unique_ptr<RedisStore> shared, CacheConfig config, std::function<Clock::time_point()> now = Clock::now);

    const char* name() const override { return "cached"; }
    SaveResult create(const Session& session) override;
    LoadResult load(std::string_view sid) override;
    SaveResult save(std::string_view sid, const Session& session) override;
    SaveResult save_if_unchanged(std::string_view sid, const Session& session) override;
    StoreStatus destroy(std::string_view sid) override;
    StoreStats stats() override;
    bool blocks_on_network() const override { return true; }

private:
    struct Entry {
        Session session;
        Clock::time_point cached_at;
        std::list<std::string>::iterator recency;
    };
    void remember(const std::string& sid, const Session& session);
    void forget(const std::string& sid);
    // What Redis now holds, kept or dropped here as `saved` says.
    SaveResult remembered(std::string_view sid, const Session& session, SaveResult saved);
    std::optional<Session> fresh_copy(const std::string& sid);
    LoadResult load_shared(const std::string& sid);

    std::unique_ptr<RedisStore> m_shared;
    CacheConfig m_config;
    std::function<Clock::time_point()> m_now;
    std::mutex m_mutex;
    std::unordered_map<std::string, Entry> m_entries;
    std::list<std::string> m_recency; // least recently cached first
    std::int64_t m_hits = 0, m_misses = 0;
};

} // namespace statelab
