#pragma once
// Replicated mode: sessions in this node's memory, and every write copied to one buddy node
// (node-i -> node-i+1, wrapping), the way Tomcat's BackupManager keeps a backup copy.
//
// The copy is made before the write is answered (so an answered write is never lost with its
// node) and bounded: a buddy that is down costs at most `copy_timeout` once, then copies are
// not even tried for `retry_after`; each one that does not arrive is counted. When a user's
// node dies, the balancer sends them to another node, which does not know their session: it
// looks in the copies it holds itself, then asks the other nodes for theirs, and serves the
// session on from here (copied on to its own buddy). Only a node and its buddy dying together
// lose sessions.
#include "server/memory_store.hpp"
#include "server/peer_directory.hpp"
#include "server/replica_client.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>

namespace statelab {

struct ReplicationConfig {
    std::string self;    // this node's name
    std::string buddy;   // the node its copies go to (empty: no copies, a one-node cluster)
    std::filesystem::path peers_file;
    std::string token;   // X-Replication-Token, shared by the cluster's nodes
    std::chrono::seconds ttl{1800};
    std::size_t max_sessions = 100'000;
    std::chrono::milliseconds copy_timeout{250};
    std::chrono::milliseconds retry_after{500};
};

class ReplicatedStore final : public SessionStore {
public:
    explicit ReplicatedStore(ReplicationConfig config);

    const char* name() const override { return "replicated"; }
    SaveResult create(const Session& session) override;
    LoadResult load(std::string_view sid) override;
    SaveResult save(std::string_view sid, const Session& session) override;
    StoreStatus destroy(std::string_view sid) override;
    StoreStats stats() override;
    bool blocks_on_network() const override { return true; }

    // The copies other nodes keep here (the /replica pages write and read them).
    MemoryStore& copies() { return m_copies; }

private:
    // PUT (session) or DELETE (nullptr) the buddy's copy of `sid`.
    void copy_to_buddy(const std::string& sid, const Session* session);
    // A session this node does not hold: a copy here or on another node, made ours.
    LoadResult take_over(const std::string& sid);

    using Clock = std::chrono::steady_clock;

    ReplicationConfig m_config;
    MemoryStore m_own;
    MemoryStore m_copies;
    PeerDirectory m_peers;
    ReplicaClient m_client;
    std::atomic<Clock::rep> m_buddy_retry_at{0}; // after a failed copy: no tries until then
    std::atomic<std::int64_t> m_sent{0}, m_failed{0}, m_taken_over{0};
};

} // namespace statelab
