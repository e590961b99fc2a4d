#include "server/cached_store.hpp"

namespace statelab {

CachedStore::CachedStore(std::unique_ptr<RedisStore> shared, CacheConfig config, std::function<Clock::time_point()> now)
    : m_shared(std::move(shared)), m_config(config), m_now(std::move(now)) {
    m_config.max_entries = std::max<std::size_t>(1, m_config.max_entries);
}

void CachedStore::remember(const std::string& sid, const Session& session) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_entries.find(sid); it != m_entries.end()) {
        m_recency.erase(it->second.recency);
        m_entries.erase(it);
    }
    while (m_entries.size() >= m_config.max_entries) {
        m_entries.erase(m_recency.front());
        m_recency.pop_front();
    }
    m_entries.emplace(sid, Entry{session, m_now(), m_recency.insert(m_recency.end(), sid)});
}

void CachedStore::forget(const std::string& sid) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_entries.find(sid); it != m_entries.end()) {
        m_recency.erase(it->second.recency);
        m_entries.erase(it);
    }
}

std::optional<Session> CachedStore::fresh_copy(const std::string& sid) {
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(sid);
    if (it == m_entries.end()) return std::nullopt;
    if (m_now() - it->second.cached_at > m_config.ttl) {
        m_recency.erase(it->second.recency);
        m_entries.erase(it);
        return std::nullopt;
    }
    return it->second.session;
}

LoadResult CachedStore::load_shared(const std::string& sid) {
    LoadResult loaded = m_shared->load(sid);
    {
        std::lock_guard lock(m_mutex);
        ++m_misses;
    }
    if (loaded.status == StoreStatus::ok) remember(sid, loaded.session);
    else if (loaded.status == StoreStatus::not_found) forget(sid);
    return loaded;
}

LoadResult CachedStore::load(std::string_view sid_view) {
    const std::string sid(sid_view);
    std::optional<Session> copy = fresh_copy(sid);
    if (!copy) return load_shared(sid);
    if (m_config.version_check) {
        const RedisStore::VersionPeek peek = m_shared->peek_version(sid);
        if (peek.status == StoreStatus::unavailable) return {StoreStatus::unavailable, {}, peek.detail};
        if (peek.status == StoreStatus::not_found) {
            forget(sid); // gone from the source of truth (expired, logged out elsewhere)
            return {StoreStatus::not_found, {}, peek.detail};
        }
        if (peek.version != copy->version) return load_shared(sid); // written elsewhere since
    }
    {
        std::lock_guard lock(m_mutex);
        ++m_hits;
    }
    return {StoreStatus::ok, std::move(*copy), {}};
}

SaveResult CachedStore::create(const Session& session) {
    SaveResult created = m_shared->create(session);
    if (created.status == StoreStatus::ok) remember(created.cookie, session);
    return created;
}

SaveResult CachedStore::save(std::string_view sid, const Session& session) {
    return remembered(sid, session, m_shared->save(sid, session));
}

SaveResult CachedStore::save_if_unchanged(std::string_view sid, const Session& session) {
    return remembered(sid, session, m_shared->save_if_unchanged(sid, session));
}

SaveResult CachedStore::remembered(std::string_view sid, const Session& session, SaveResult saved) {
    if (saved.status == StoreStatus::ok) remember(std::string(sid), session);
    else forget(std::string(sid)); // the copy may no longer say what Redis holds
    return saved;
}

StoreStatus CachedStore::destroy(std::string_view sid) {
    forget(std::string(sid));
    return m_shared->destroy(sid);
}

StoreStats CachedStore::stats() {
    StoreStats stats = m_shared->stats();
    std::lock_guard lock(m_mutex);
    stats.cache = CacheStats{m_hits, m_misses, static_cast<std::int64_t>(m_entries.size())};
    return stats;
}

} // namespace statelab
