#pragma once
// One driver per kind of process in the cluster: the programs it needs, the command line and
// config files it starts with, how to tell it is ready and, for a balancer, how it learns that
// the set of app servers changed. The supervisor keeps a generic table of processes and their
// lifecycle; what differs between kinds lives here, chosen once from the cluster's plan.
#include "cluster/child_process.hpp"
#include "cluster/launch_commands.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace statelab {

// What the drivers of one cluster share: the cluster, its shared resources and its secrets.
struct ClusterContext {
    ClusterSpec spec;
    SharedResources shared;
    std::string redis_password;
    std::string control_token; // what the builtin balancer wants before it changes its backends
};

class ComponentDriver {
public:
    virtual ~ComponentDriver() = default;
    // Finds the programs it runs, or throws a ClusterError naming the package to install.
    virtual void find_programs(const ClusterSpec& spec) = 0;
    // True when the supervisor must choose its port (it cannot pick one and report it).
    virtual bool needs_assigned_port() const { return false; }
    // `members`: the app servers in rotation (balancers only).
    virtual LaunchCommand command(const std::string& name, std::uint16_t port, const ClusterContext& cluster,
                                  const std::vector<NodeEndpoint>& members) const = 0;
    // Waits until the started child serves; returns the port it serves on.
    virtual std::uint16_t wait_ready(ChildProcess& child, std::uint16_t port, const ClusterContext& cluster) const = 0;
};

class BalancerDriver : public ComponentDriver {
public:
    // True when add_member/remove_member change the running balancer; false when it must be
    // restarted (same port) to take a new set of app servers.
    virtual bool updates_live() const = 0;
    virtual void add_member(std::uint16_t balancer_port, const NodeEndpoint& node, const ClusterContext& cluster) const;
    virtual void remove_member(std::uint16_t balancer_port, const std::string& node, const ClusterContext& cluster) const;
};

std::unique_ptr<ComponentDriver> backend_driver();
std::unique_ptr<ComponentDriver> redis_driver(bool replica = false);
std::unique_ptr<ComponentDriver> sentinel_driver();
std::unique_ptr<BalancerDriver> balancer_driver(BalancerKind kind);

} // namespace statelab
