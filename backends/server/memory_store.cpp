#include "server/memory_store.hpp"

#include "server/session_id.hpp"

#include <algorithm>

namespace statelab {

MemoryStore::MemoryStore(std::chrono::seconds ttl, std::function<Clock::time_point()> now,
                         std::chrono::milliseconds sweep_every, std::size_t max_sessions)
    : m_ttl(ttl), m_now(std::move(now)), m_max_sessions(std::max<std::size_t>(1, max_sessions)) {
    m_sweeper = std::thread([this, sweep_every] {
        std::unique_lock lock(m_sweeper_mutex);
        while (!m_sweeper_wake.wait_for(lock, sweep_every, [this] { return m_stopping; })) sweep();
    });
}

MemoryStore::~MemoryStore() {
    {
        std::lock_guard lock(m_sweeper_mutex);
        m_stopping = true;
    }
    m_sweeper_wake.notify_all();
    m_sweeper.join();
}

void MemoryStore::erase(std::unordered_map<std::string, Entry>::iterator it) {
    m_bytes -= static_cast<std::int64_t>(it->second.bytes);
    m_recency.erase(it->second.recency);
    m_sessions.erase(it);
}

SaveResult MemoryStore::create(const Session& session) {
    std::string id = new_session_id();
    put(id, session);
    return {StoreStatus::ok, std::move(id), {}};
}

void MemoryStore::put(const std::string& sid, const Session& session) {
    std::unique_lock lock(m_mutex);
    if (auto it = m_sessions.find(sid); it != m_sessions.end()) erase(it);
    while (m_sessions.size() >= m_max_sessions) {
        erase(m_sessions.find(m_recency.front()));
        ++m_evicted;
    }
    Entry entry{session, m_now(), session.state_bytes(), m_recency.insert(m_recency.end(), sid)};
    m_bytes += static_cast<std::int64_t>(entry.bytes);
    m_sessions.emplace(sid, std::move(entry));
}

LoadResult MemoryStore::load(std::string_view sid) {
    const auto now = m_now();
    std::unique_lock lock(m_mutex); // exclusive: a hit refreshes last_used
    auto it = m_sessions.find(std::string(sid));
    if (it == m_sessions.end()) return {StoreStatus::not_found, {}, {}};
    if (expired(it->second, now)) {
        erase(it);
        return {StoreStatus::not_found, {}, {}};
    }
    it->second.last_used = now;
    m_recency.splice(m_recency.end(), m_recency, it->second.recency); // most recently used
    return {StoreStatus::ok, it->second.session, {}};
}

SaveResult MemoryStore::save(std::string_view sid, const Session& session) { return replace(sid, session, false); }

SaveResult MemoryStore::save_if_unchanged(std::string_view sid, const Session& session) {
    return replace(sid, session, true);
}

SaveResult MemoryStore::replace(std::string_view sid, const Session& session, bool if_unchanged) {
    std::unique_lock lock(m_mutex);
    auto it = m_sessions.find(std::string(sid));
    // Gone between load and save (expired, logged out elsewhere): the write is lost, say so.
    if (it == m_sessions.end()) return {StoreStatus::not_found, {}, {}};
    if (if_unchanged && it->second.session.version + 1 != session.version)
        return {StoreStatus::conflict, {}, "the cart changed meanwhile (another request of this session)"};
    const std::size_t bytes = session.state_bytes();
    m_bytes += static_cast<std::int64_t>(bytes) - static_cast<std::int64_t>(it->second.bytes);
    it->second = Entry{session, m_now(), bytes, it->second.recency};
    m_recency.splice(m_recency.end(), m_recency, it->second.recency);
    return {StoreStatus::ok, {}, {}};
}

StoreStatus MemoryStore::destroy(std::string_view sid) {
    std::unique_lock lock(m_mutex);
    auto it = m_sessions.find(std::string(sid));
    if (it == m_sessions.end()) return StoreStatus::not_found;
    erase(it);
    return StoreStatus::ok;
}

StoreStats MemoryStore::stats() {
    std::shared_lock lock(m_mutex);
    return {static_cast<std::int64_t>(m_sessions.size()), m_bytes, m_evicted};
}

std::size_t MemoryStore::sweep() {
    const auto now = m_now();
    std::unique_lock lock(m_mutex);
    std::size_t dropped = 0;
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (expired(it->second, now)) {
            m_bytes -= static_cast<std::int64_t>(it->second.bytes);
            m_recency.erase(it->second.recency);
            it = m_sessions.erase(it);
            ++dropped;
        } else {
            ++it;
        }
    }
    return dropped;
}

} // namespace statelab
