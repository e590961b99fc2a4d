#pragma once
#include <cstdint>
#include <string>

namespace statelab {

// redis: the store (in shared-store-ha, the one launched as primary); redis_replica and
// sentinel: shared-store-ha's replica and its three sentinels.
enum class ProcessKind { backend, balancer, redis, redis_replica, sentinel };
// quiet: somebody else's server that nothing was sent to lately (the traffic stopped): not known
// to be down, and not shown as down.
enum class ProcessState { starting, up, down, paused, draining, stopped, failed, quiet };

const char* process_state_name(ProcessState state);

// A process that holds the sessions of a shared-store mode: `redis`, `redis-replica-N`.
inline bool is_store_process(const std::string& name) {
    return name == "redis" || name.starts_with("redis-replica-");
}

// One process of the cluster as the supervisor sees it.
struct NodeStatus {
    std::string name; // node-1, balancer, redis
    ProcessKind kind = ProcessKind::backend;
    ProcessState state = ProcessState::starting;
    int pid = 0;
    std::uint16_t port = 0;
    bool removed = false; // taken out of the cluster (remove); restart brings it back
};

} // namespace statelab
