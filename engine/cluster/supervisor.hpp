#pragma once
// Launches and controls the lab's cluster: redis-server (when the mode needs it), N
// statelab-backend processes and one balancer, all on 127.0.0.1 with free ports. Children die
// with the parent (PR_SET_PDEATHSIG + their own process group): no orphans, even on SIGKILL.
#include "model/cluster_error.hpp"
#include "model/node_status.hpp"
#include "model/scenario.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace statelab {

// The cluster as chosen (its ClusterSettings base) and where it runs from.
struct ClusterSpec : ClusterSettings {
    std::filesystem::path bin_dir;      // holds statelab-backend and statelab-balancer
    std::filesystem::path run_dir;      // logs (<name>.log), redis dir, secret files
};

class Supervisor {
public:
    explicit Supervisor(ClusterSpec spec);
    ~Supervisor(); // shuts everything down
    Supervisor(const Supervisor&) = delete;
    Supervisor& operator=(const Supervisor&) = delete;

    // Starts every process and waits until each is ready (listening line, then /healthz or PING).
    // On failure stops whatever it started and throws ClusterError.
    void launch(const std::function<void(const std::string&)>& progress = {});
    // Stops every child (SIGTERM, then SIGKILL after a short grace). Idempotent.
    void shutdown();

    // An action on a process name (node-N, balancer, redis), or add (target ignored). Returns
    // the affected process name (the new node's for add). Throws ClusterError for an unknown
    // target or an impossible action (and for set, which is the traffic's).
    std::string apply(Action action, const std::string& target);

    std::vector<NodeStatus> statuses() const;
    std::uint16_t balancer_port() const;
    // The password of the cluster's Redis servers and sentinels (empty in modes without them).
    std::string store_password() const;
    std::string base_url() const; // http://127.0.0.1:<balancer port>
    const ClusterSpec& spec() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace statelab
