#pragma once
// The pages the other nodes use in replicated mode, not the shop's users:
//   PUT /replica/SID     a buddy's copy of one session (body: the session's JSON)
//   DELETE /replica/SID  that session ended (logout)
//   GET /replica/SID     the copy, asked for by the node a dead node's user arrived at (404: none)
// Each needs the cluster's X-Replication-Token. They touch only the copies in memory, so they
// are answered on the server's own thread, never queued behind the store threads (which may
// be waiting on this very node's peers).
#include "common/http_message.hpp"

#include <string>
#include <string_view>

namespace statelab {

class MemoryStore;

class ReplicaPages {
public:
    ReplicaPages(MemoryStore& copies, std::string token);

    static bool is_replica_path(std::string_view path) { return path.starts_with("/replica/"); }
    Response handle(const Request& req);

private:
    MemoryStore& m_copies;
    std::string m_token;
};

} // namespace statelab
