#pragma once
// The cluster as a plan: which processes it is made of, derived once from its settings (a
// scenario, or the window's cluster panel). The supervisor starts them in this order.
#include "model/cluster_settings.hpp"
#include "model/node_status.hpp"

#include <string>
#include <vector>

namespace statelab {

struct PlannedProcess {
    std::string name;  // node-N, balancer, redis
    ProcessKind kind = ProcessKind::backend;
    int node_number = 0; // N of node-N
};

// shared-store-ha: a quorum of 2 out of 3 decides that the primary is down.
inline constexpr int sentinel_count = 3;
// The name the sentinels know the primary by (SENTINEL get-master-addr-by-name).
inline constexpr const char* sentinel_master_name = "statelab";

// The store first (redis, when the mode keeps sessions there; in shared-store-ha its replica
// and the sentinels too), then the app servers, then the balancer in front of them.
std::vector<PlannedProcess> plan_processes(const ClusterSettings& settings);

// What the app servers keep sessions in (statelab-backend --store): memory | redis | token |
// replicated (memory, copied to a buddy node).
const char* store_for(Mode mode);
// The cluster has a Redis (shared-store, shared-store-ha, sticky-cached behind its caches).
bool uses_redis(Mode mode);
// Replicated mode: where node-K's copies go. node-K -> node-K+1, the last planned node wraps to
// node-1, and so does a node added later (the ring is fixed at launch). Empty: no buddy (one node).
std::string buddy_of(const std::string& node, int planned_nodes);

} // namespace statelab
