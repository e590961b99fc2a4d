#pragma once
// The command lines (DESIGN.md, "Command lines") and config files the supervisor starts its
// children with, derived from the cluster's mode (DESIGN.md, "The state strategies").
#include "cluster/child_process.hpp"
#include "cluster/supervisor.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace statelab {

struct NodeEndpoint {
    std::string name;
    std::uint16_t port = 0;
};

// What the backends share in modes that need it; empty otherwise.
struct SharedResources {
    std::uint16_t redis_port = 0;             // the store launched as primary
    std::vector<std::uint16_t> sentinel_ports; // shared-store-ha
    std::filesystem::path redis_password_file; // shared-store
    std::filesystem::path token_secret_file;   // client-token: every node verifies every token
    std::filesystem::path control_token_file;  // the built-in balancer's control API token
    std::filesystem::path peers_file;             // replicated: `NAME PORT` of every node, kept current
    std::filesystem::path replication_token_file; // replicated: what the nodes' /replica pages want
};

LaunchCommand backend_command(const ClusterSpec& spec, const SharedResources& shared,
                              const std::string& name, std::uint16_t port);
LaunchCommand builtin_balancer_command(const ClusterSpec& spec, const SharedResources& shared, std::uint16_t port,
                                       const std::vector<NodeEndpoint>& nodes);

// The password goes into a mode-0600 config file rather than argv: any local user can read
// /proc/<pid>/cmdline. Writes run_dir/<name>/redis.conf. `replica_of`: the primary's port for
// a replica (0: a primary).
LaunchCommand redis_command(const ClusterSpec& spec, const std::filesystem::path& program, const std::string& name,
                            std::uint16_t port, const std::string& password, std::uint16_t replica_of = 0);
// A redis-sentinel watching the primary at `primary_port` under sentinel_master_name, with
// lab timings (down after 1 s). Writes run_dir/<name>/sentinel.conf, which Sentinel rewrites.
LaunchCommand sentinel_command(const ClusterSpec& spec, const std::filesystem::path& program, const std::string& name,
                               std::uint16_t port, std::uint16_t primary_port, const std::string& password);

// An haproxy.cfg equivalent to the builtin balancer for `mode` (config_text.hpp's
// haproxy_config_text), bound to 127.0.0.1:port, the nodes on 127.0.0.1.
// `stats_socket`: where HAProxy answers `show stat` (none when empty).
std::string haproxy_config(const ClusterSettings& settings, std::uint16_t port, const std::vector<NodeEndpoint>& nodes,
                           const std::string& stats_socket = {});
// run_dir/haproxy.sock, where the lab's HAProxy answers `show stat`; empty when the path is too
// long for a local socket (sun_path holds 107 bytes), and then the lab does not read HAProxy's view.
std::string haproxy_stats_socket(const std::filesystem::path& run_dir);
// Writes run_dir/haproxy.cfg for the current nodes and returns `haproxy -f cfg -db`.
LaunchCommand haproxy_command(const ClusterSpec& spec, const std::filesystem::path& program,
                              std::uint16_t port, const std::vector<NodeEndpoint>& nodes);

} // namespace statelab
