#pragma once
// Where sessions live. The shop talks to every store through this one interface; the
// store decides what the SID cookie holds (an id for memory/redis, the whole state for token).
#include "server/session.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace statelab {

enum class StoreStatus {
    ok,
    not_found,    // unknown, expired, tampered: the client's session is gone
    unavailable,  // the store itself cannot be reached (Redis down)
    too_large,    // the session does not fit (token cookie over 4096 bytes)
    conflict,     // another request changed the session since this one read it (save_if_unchanged)
};

struct LoadResult {
    StoreStatus status = StoreStatus::not_found;
    Session session;
    std::string detail; // why, for unavailable / too_large
};

struct SaveResult {
    StoreStatus status = StoreStatus::ok;
    std::string cookie; // the SID value to send back; empty = the client's cookie stays valid
    std::string detail;
};

// Replicated mode's own figures (DESIGN.md, "The state strategies": replicated).
struct ReplicationStats {
    std::int64_t copies_sent = 0;   // session writes copied to the buddy (and deletes)
    std::int64_t copies_failed = 0; // writes whose copy did not reach the buddy (down, slow, refused)
    std::int64_t copies_held = 0;   // copies this node keeps for the nodes whose buddy it is
    std::int64_t taken_over = 0;    // sessions of a dead node found in a copy and served on here
    std::int64_t peers_known = 0;   // other nodes this one has read from the peers file (its buddy among them)
};

// sticky-cached: the node's local cache in front of the shared store.
struct CacheStats {
    std::int64_t hits = 0;   // loads answered from the local cache
    std::int64_t misses = 0; // loads that went to the shared store (absent, expired or outdated)
    std::int64_t entries = 0;
};

struct StoreStats {
    std::int64_t sessions_active = 0; // -1 when the store cannot tell (stateless tokens)
    std::int64_t state_bytes = 0;
    std::int64_t evicted = 0; // sessions dropped to stay under the node's cap (memory store)
    std::optional<ReplicationStats> replication; // replicated mode only
    std::optional<CacheStats> cache;             // sticky-cached mode only
};

class SessionStore {
public:
    virtual ~SessionStore() = default;
    virtual const char* name() const = 0;
    // A new session; the result's cookie is the new SID value (always non-empty on ok).
    virtual SaveResult create(const Session& session) = 0;
    virtual LoadResult load(std::string_view sid) = 0;
    virtual SaveResult save(std::string_view sid, const Session& session) = 0;
    // A request's change, saved only if the stored session is still the one it read
    // (`session.version - 1`; the shop counts one version a change): two requests of one session
    // at once (a client that gave up on a slow answer and went on, two tabs) must not have the
    // later's acknowledged write undone by the earlier's older cart. `conflict` when it changed
    // meanwhile. A store whose read and write of one request cannot interleave with another's
    // saves as it is.
    virtual SaveResult save_if_unchanged(std::string_view sid, const Session& session) { return save(sid, session); }
    virtual StoreStatus destroy(std::string_view sid) = 0;
    virtual StoreStats stats() = 0;
    // Whether a call may wait on the network (Redis): the server then makes it on a store
    // thread, so a hung store cannot hold up the node's own thread and its /healthz.
    virtual bool blocks_on_network() const { return false; }
};

} // namespace statelab
