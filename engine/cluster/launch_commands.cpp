#include "cluster/launch_commands.hpp"

#include "cluster/cluster_files.hpp"
#include "cluster/cluster_plan.hpp"
#include "cluster/config_text.hpp"

#include <sys/un.h>

#include <fstream>

namespace statelab {

LaunchCommand backend_command(const ClusterSpec& spec, const SharedResources& shared,
                              const std::string& name, std::uint16_t port) {
    LaunchCommand command{name, spec.bin_dir / "statelab-backend", {}, spec.run_dir / (name + ".log")};
    command.args = {"--name", name, "--port", std::to_string(port), "--store", store_for(spec.mode),
                    "--session-ttl", std::to_string(spec.session_ttl_s),
                    "--session-padding", std::to_string(spec.session_padding)};
    if (spec.mode == Mode::shared_store || spec.mode == Mode::sticky_cached) {
        command.args.insert(command.args.end(),
                            {"--redis", "127.0.0.1:" + std::to_string(shared.redis_port),
                             "--redis-password-file", shared.redis_password_file.string()});
    }
    if (spec.mode == Mode::shared_store_ha) {
        std::string sentinels;
        for (std::uint16_t port : shared.sentinel_ports)
            sentinels += (sentinels.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(port);
        command.args.insert(command.args.end(), {"--redis-sentinels", sentinels, "--redis-master-name",
                                                 sentinel_master_name, "--redis-password-file",
                                                 shared.redis_password_file.string()});
    }
    if (spec.mode == Mode::sticky_cached && !spec.cache_version_check) command.args.push_back("--no-version-check");
    if (spec.mode == Mode::sticky_url) {
        command.args.push_back("--url-links");
        if (spec.session_in_url) command.args.push_back("--session-in-url");
    }
    if (spec.mode == Mode::client_token)
        command.args.insert(command.args.end(), {"--secret-file", shared.token_secret_file.string()});
    if (spec.mode == Mode::replicated) {
        command.args.insert(command.args.end(), {"--peers-file", shared.peers_file.string(), "--replication-token-file",
                                                 shared.replication_token_file.string()});
        if (const std::string buddy = buddy_of(name, spec.nodes); !buddy.empty())
            command.args.insert(command.args.end(), {"--buddy", buddy});
    }
    return command;
}

LaunchCommand builtin_balancer_command(const ClusterSpec& spec, const SharedResources& shared, std::uint16_t port,
                                       const std::vector<NodeEndpoint>& nodes) {
    LaunchCommand command{"balancer", spec.bin_dir / "statelab-balancer", {}, spec.run_dir / "balancer.log"};
    command.args = {"--port", std::to_string(port), "--policy", policy_name(policy_for(spec)),
                    // A check every 250 ms, each given 1 s (HAProxy: `inter 1s fastinter 250`): a
                    // hung node is down within 2.5 s. Given only 250 ms, a node that is merely busy
                    // (a slow machine, thousands of users) flapped down and up, and its users' sessions
                    // were counted lost although nothing had failed.
                    "--health-interval-ms", "250", "--health-timeout-ms", "1000"};
    if (!shared.control_token_file.empty())
        command.args.insert(command.args.end(), {"--control-token-file", shared.control_token_file.string()});
    for (const auto& node : nodes)
        command.args.insert(command.args.end(),
                            {"--backend", node.name + "=127.0.0.1:" + std::to_string(node.port)});
    return command;
}

LaunchCommand redis_command(const ClusterSpec& spec, const std::filesystem::path& program, const std::string& name,
                            std::uint16_t port, const std::string& password, std::uint16_t replica_of) {
    const auto dir = spec.run_dir / name;
    std::filesystem::create_directories(dir);
    const auto config = dir / "redis.conf";
    RedisLayout layout;
    layout.password = password;
    if (replica_of != 0) layout.replica_of = "127.0.0.1 " + std::to_string(replica_of);
    write_private_file(config, redis_config_text(layout));
    LaunchCommand command{name, program, {}, spec.run_dir / (name + ".log")};
    command.args = {config.string(), "--port", std::to_string(port), "--bind", "127.0.0.1"};
    for (const auto& [option, value] : redis_in_memory_options)
        command.args.insert(command.args.end(), {"--" + option, value});
    command.args.insert(command.args.end(), {"--dir", dir.string()});
    return command;
}

LaunchCommand sentinel_command(const ClusterSpec& spec, const std::filesystem::path& program, const std::string& name,
                               std::uint16_t port, std::uint16_t primary_port, const std::string& password) {
    const auto dir = spec.run_dir / name;
    std::filesystem::create_directories(dir);
    const auto config = dir / "sentinel.conf";
    SentinelLayout layout;
    layout.port = std::to_string(port);
    layout.bind = "127.0.0.1";
    layout.dir = dir.string();
    layout.password = password;
    layout.primary_host = "127.0.0.1";
    layout.primary_port = std::to_string(primary_port);
    write_private_file(config, sentinel_config_text(layout));
    return {name, program, {config.string()}, spec.run_dir / (name + ".log")};
}

std::string haproxy_stats_socket(const std::filesystem::path& run_dir) {
    std::string path = (run_dir / "haproxy.sock").string();
    return path.size() < sizeof(sockaddr_un{}.sun_path) ? path : std::string();
}

std::string haproxy_config(const ClusterSettings& settings, std::uint16_t port, const std::vector<NodeEndpoint>& nodes,
                           const std::string& stats_socket) {
    HaproxyLayout layout;
    layout.header = "# Generated by the StateLab supervisor. On add/remove it rewrites this file and restarts\n"
                    "# haproxy on the same port (the builtin balancer is updated live instead).\n";
    layout.bind = "127.0.0.1:" + std::to_string(port);
    layout.limits = haproxy_limits_within_files();
    layout.stats_socket = stats_socket;
    for (const auto& node : nodes) layout.servers.push_back({node.name, "127.0.0.1:" + std::to_string(node.port)});
    return haproxy_config_text(settings, layout);
}

LaunchCommand haproxy_command(const ClusterSpec& spec, const std::filesystem::path& program,
                              std::uint16_t port, const std::vector<NodeEndpoint>& nodes) {
    const auto config = spec.run_dir / "haproxy.cfg";
    {
        std::ofstream out(config, std::ios::trunc);
        out << haproxy_config(spec, port, nodes, haproxy_stats_socket(spec.run_dir));
        if (!out) throw ClusterError("cannot write '" + config.string() + "'");
    }
    // -db: stay in the foreground, so the supervisor's pid is haproxy itself.
    return {"balancer", program, {"-f", config.string(), "-db"}, spec.run_dir / "balancer.log"};
}

} // namespace statelab
