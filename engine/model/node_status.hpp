#pragma once
#include <cstdint>
#include <string>

namespace statelab {

enum class ProcessKind { backend, balancer, redis };
enum class ProcessState { starting, up, down, paused, draining, stopped, failed };

const char* process_state_name(ProcessState state);

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
