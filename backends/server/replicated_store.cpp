#include "server/replicated_store.hpp"

namespace statelab {

namespace {
std::string replica_target(const std::string& sid) { return "/replica/" + sid; }
} // namespace

ReplicatedStore::ReplicatedStore(ReplicationConfig config)
    : m_config(std::move(config)),
      m_own(m_config.ttl, MemoryStore::Clock::now, std::chrono::milliseconds(1000), m_config.max_sessions),
      m_copies(m_config.ttl, MemoryStore::Clock::now, std::chrono::milliseconds(1000), m_config.max_sessions),
      m_peers(m_config.peers_file, m_config.self), m_client(m_config.token, m_config.copy_timeout) {}

void ReplicatedStore::copy_to_buddy(const std::string& sid, const Session* session) {
    if (m_config.buddy.empty()) return;
    const auto now = Clock::now().time_since_epoch().count();
    const auto port = m_peers.port_of(m_config.buddy);
    if (now < m_buddy_retry_at.load(std::memory_order_relaxed) || !port) {
        m_failed.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    const auto reply = session ? m_client.exchange(*port, http::verb::put, replica_target(sid), session_to_json(*session), nullptr)
                               : m_client.exchange(*port, http::verb::delete_, replica_target(sid), {}, nullptr);
    if (reply && reply->status / 100 == 2) {
        m_sent.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    m_failed.fetch_add(1, std::memory_order_relaxed);
    if (!reply) // unreachable or too slow, not a refusal: let it be for a while
        m_buddy_retry_at.store((Clock::now() + m_config.retry_after).time_since_epoch().count(),
                               std::memory_order_relaxed);
}

SaveResult ReplicatedStore::create(const Session& session) {
    SaveResult created = m_own.create(session);
    if (created.status == StoreStatus::ok) copy_to_buddy(created.cookie, &session);
    return created;
}

LoadResult ReplicatedStore::load(std::string_view sid) {
    LoadResult loaded = m_own.load(sid);
    if (loaded.status != StoreStatus::not_found) return loaded;
    return take_over(std::string(sid));
}

LoadResult ReplicatedStore::take_over(const std::string& sid) {
    std::optional<Session> found;
    if (LoadResult held = m_copies.load(sid); held.status == StoreStatus::ok) {
        found = std::move(held.session); // we are the dead node's buddy
        m_copies.destroy(sid);
    } else {
        for (const auto& [node, port] : m_peers.others()) {
            const auto reply = m_client.exchange(port, http::verb::get, replica_target(sid), {}, nullptr);
            if (!reply || reply->status != 200) continue;
            try {
                found = session_from_json(reply->body);
                break;
            } catch (const std::exception&) {
                continue; // a peer's garbled copy is no copy
            }
        }
    }
    if (!found) return {StoreStatus::not_found, {}, {}};
    m_own.put(sid, *found);
    copy_to_buddy(sid, &*found);
    m_taken_over.fetch_add(1, std::memory_order_relaxed);
    return {StoreStatus::ok, std::move(*found), {}};
}

SaveResult ReplicatedStore::save(std::string_view sid, const Session& session) {
    SaveResult saved = m_own.save(sid, session);
    if (saved.status == StoreStatus::ok) copy_to_buddy(std::string(sid), &session);
    return saved;
}

StoreStatus ReplicatedStore::destroy(std::string_view sid) {
    const StoreStatus status = m_own.destroy(sid);
    if (status == StoreStatus::ok) copy_to_buddy(std::string(sid), nullptr);
    return status;
}

StoreStats ReplicatedStore::stats() {
    StoreStats stats = m_own.stats();
    const StoreStats copies = m_copies.stats();
    stats.evicted += copies.evicted;
    stats.replication = ReplicationStats{m_sent.load(), m_failed.load(), copies.sessions_active, m_taken_over.load(),
                                         static_cast<std::int64_t>(m_peers.others().size())};
    return stats;
}

} // namespace statelab
