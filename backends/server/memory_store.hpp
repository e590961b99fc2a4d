#pragma once
// Sessions in this process's memory: fast, and gone when the process dies (the sticky-session
// trade-off the lab shows). Idle sessions expire after the TTL; a sweeper thread reclaims them.
#include "server/session_store.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

namespace statelab {

class MemoryStore final : public SessionStore {
public:
    using Clock = std::chrono::steady_clock;
    // `now` is injectable so tests can expire sessions without sleeping through a TTL.
    // At most `max_sessions` at once: a new one evicts the least recently used (counted), so one
    // client logging in 235,000 times cannot take the node's memory.
    explicit MemoryStore(std::chrono::seconds ttl, std::function<Clock::time_point()> now = Clock::now,
                         std::chrono::milliseconds sweep_every = std::chrono::milliseconds(1000),
                         std::size_t max_sessions = 100'000);
    ~MemoryStore() override;

    const char* name() const override { return "memory"; }
    SaveResult create(const Session& session) override;
    LoadResult load(std::string_view sid) override;
    SaveResult save(std::string_view sid, const Session& session) override;
    SaveResult save_if_unchanged(std::string_view sid, const Session& session) override;
    StoreStatus destroy(std::string_view sid) override;
    StoreStats stats() override;

    // Keeps `session` under an id chosen elsewhere (replicated mode: a buddy's copy, or a dead
    // node's session taken over), replacing what the id held.
    void put(const std::string& sid, const Session& session);

    // Drops every idle-expired session now; returns how many. The sweeper calls this.
    std::size_t sweep();

private:
    SaveResult replace(std::string_view sid, const Session& session, bool if_unchanged);
    struct Entry {
        Session session;
        Clock::time_point last_used;
        std::size_t bytes = 0;
        std::list<std::string>::iterator recency; // its place in m_recency
    };
    // Removes `it` from the map and the recency list (callers hold the lock).
    void erase(std::unordered_map<std::string, Entry>::iterator it);
    bool expired(const Entry& e, Clock::time_point now) const { return now - e.last_used > m_ttl; }

    std::chrono::seconds m_ttl;
    std::function<Clock::time_point()> m_now;
    std::shared_mutex m_mutex;
    std::unordered_map<std::string, Entry> m_sessions;
    std::list<std::string> m_recency; // least recently used first
    std::size_t m_max_sessions;
    std::int64_t m_bytes = 0;
    std::int64_t m_evicted = 0;

    std::mutex m_sweeper_mutex;
    std::condition_variable m_sweeper_wake;
    bool m_stopping = false;
    std::thread m_sweeper;
};

} // namespace statelab
