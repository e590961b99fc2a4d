#pragma once
// Private to engine/cluster: the Supervisor's state, shared by supervisor.cpp (launch, shutdown,
// statuses) and supervisor_actions.cpp (apply).
//
// Locking: `action_mutex` serialises launch/apply/shutdown, which may wait seconds for a child;
// `state_mutex` guards the process table and is held only briefly, so statuses() never waits
// behind a slow restart. The table's fields are written with both held and read with either.
#include "cluster/child_process.hpp"
#include "cluster/component_driver.hpp"
#include "cluster/launch_commands.hpp"
#include "cluster/spawner_thread.hpp"
#include "cluster/supervisor.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace statelab {

struct ManagedProcess {
    std::string name;
    ProcessKind kind = ProcessKind::backend;
    int node_number = 0;   // N of node-N (backends only): ordering and the next add's name
    ProcessState state = ProcessState::starting;
    std::uint16_t port = 0; // fixed once known: restarts reuse it so the balancer stays valid
    bool removed = false;   // taken out of the balancer by `remove`
    std::unique_ptr<ChildProcess> child; // the latest run; kept after exit for its log and status
};

// Listing order: node-1..N (numerically), then the balancer, then redis.
bool listed_before(const ManagedProcess* a, const ManagedProcess* b);

struct Supervisor::Impl {
    explicit Impl(ClusterSpec s) { cluster.spec = std::move(s); }

    ClusterContext cluster; // the spec, shared resources and secrets the drivers use
    // One driver per kind of process (cluster/component_driver.hpp), chosen at launch.
    std::unique_ptr<ComponentDriver> backend_driver, redis_driver, redis_replica_driver, sentinel_driver;
    std::unique_ptr<BalancerDriver> balancer_driver;
    ComponentDriver& driver(ProcessKind kind);

    SpawnerThread spawner;
    std::mutex action_mutex;
    mutable std::mutex state_mutex;
    std::vector<std::unique_ptr<ManagedProcess>> processes; // guarded by state_mutex
    bool running = false;       // launched and not shut down (state_mutex)
    bool shutting_down = false; // statuses() must not reap now (state_mutex); see stop_all()

    // --- process table (take state_mutex inside) ---
    ManagedProcess& add_process(std::string name, ProcessKind kind, std::uint16_t port, int node_number = 0);
    ManagedProcess* find(const std::string& name);
    ManagedProcess* balancer();
    std::string process_names() const; // "node-1, node-2, balancer"
    void set_state(ManagedProcess& process, ProcessState state);
    // Reaps an exited child and turns its state into down (or stopped after stop/remove).
    // Caller holds state_mutex.
    void refresh_locked(ManagedProcess& process);
    bool alive(ManagedProcess& process);            // running, paused or draining
    std::vector<NodeEndpoint> balancer_members();   // nodes not removed, in node order
    void publish_peers();                           // replicated: rewrites the nodes' peers file

    // --- lifecycle (caller holds action_mutex) ---
    void check_programs();
    void launch_all(const std::function<void(const std::string&)>& progress);
    // Starts (or restarts) `process` on its port and waits until ready; state up, or failed and
    // a ClusterError.
    void start(ManagedProcess& process);
    void kill_and_wait(ManagedProcess& process, ProcessState after);
    void stop_all(); // SIGTERM, ~2 s grace, SIGKILL to each child and the process group; reap

    // --- actions (supervisor_actions.cpp; caller holds action_mutex) ---
    std::string apply_locked(Action action, const std::string& target);
    std::string add_node();
    void remove_node(ManagedProcess& node);
    // After the node set changed: tell a running balancer (live, or by restarting it on the
    // same port with the new set, as its driver says).
    void balancer_add(const ManagedProcess& node);
    void balancer_remove(const ManagedProcess& node);
};

} // namespace statelab
