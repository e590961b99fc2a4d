#include "cluster/config_export.hpp"
#include "lab_files.hpp"

#include "cluster/cluster_plan.hpp"
#include "cluster/config_text.hpp"
#include "cluster/export_documents.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace statelab {

namespace {

std::string header_comment(const ClusterSettings& settings, const std::string& scenario_name) {
    return "# " + exported_label(settings, scenario_name) +
           ", exported by statelab-cli export-config\n"
           "# from the same generator the lab runs its cluster with. See README.txt.\n";
}

std::string haproxy_text(const ClusterSettings& settings, const std::string& scenario_name) {
    HaproxyLayout layout;
    layout.header = header_comment(settings, scenario_name);
    layout.bind = "*:" + std::to_string(exported_balancer_port);
    layout.resolve_names = true;
    layout.limits.tolerate_fewer_files = true;
    for (const auto& process : plan_processes(settings))
        if (process.kind == ProcessKind::backend)
            layout.servers.push_back(
                {process.name, process.name + ":" + std::to_string(exported_app_port)});
    return haproxy_config_text(settings, layout);
}

std::string redis_text(const ClusterSettings& settings, const std::string& scenario_name,
                       bool replica) {
    RedisLayout layout;
    layout.password = exported_secret_placeholder;
    if (replica) layout.replica_of = "redis " + std::to_string(exported_redis_port);
    layout.bind = "0.0.0.0";
    layout.port = std::to_string(exported_redis_port);
    layout.dir = "/data"; // the redis image's volume
    return header_comment(settings, scenario_name) + redis_config_text(layout) + "\n";
}

std::string sentinel_text(const ClusterSettings& settings, const std::string& scenario_name) {
    SentinelLayout layout;
    layout.port = std::to_string(exported_sentinel_port);
    layout.bind = "0.0.0.0";
    layout.dir = "/data";
    layout.password = exported_secret_placeholder;
    layout.primary_host = "redis";
    layout.primary_port = std::to_string(exported_redis_port);
    layout.resolve_names = true;
    return header_comment(settings, scenario_name) + sentinel_config_text(layout) + "\n";
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out)
        throw ConfigExportError("cannot write '" + path.string() + "': " + std::strerror(errno));
}

} // namespace

std::vector<std::filesystem::path> export_cluster_config(const ClusterSettings& settings,
                                                         const std::filesystem::path& dir,
                                                         const std::string& scenario_name) {
    if (settings.nodes < 1 || settings.nodes > max_nodes)
        throw ConfigExportError("a cluster has 1 to " + std::to_string(max_nodes) + " nodes, not " +
                                std::to_string(settings.nodes));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir))
        throw ConfigExportError("cannot create the directory '" + dir.string() +
                                "': " + (ec ? ec.message() : "a file of that name is in the way"));

    // The files in the order a reader meets them: the balancer, the store, how to run it all.
    std::vector<std::pair<std::string, std::string>> files;
    files.emplace_back("haproxy.cfg", haproxy_text(settings, scenario_name));
    for (const auto& process : plan_processes(settings)) {
        if (process.kind == ProcessKind::redis)
            files.emplace_back("redis.conf", redis_text(settings, scenario_name, false));
        else if (process.kind == ProcessKind::redis_replica)
            files.emplace_back("redis-replica.conf", redis_text(settings, scenario_name, true));
        // One file for all the sentinels: each container starts from its own copy (compose.yaml).
        else if (process.kind == ProcessKind::sentinel && files.back().first != "sentinel.conf")
            files.emplace_back("sentinel.conf", sentinel_text(settings, scenario_name));
    }
    files.emplace_back("compose.yaml", compose_yaml_text(settings, scenario_name));
    std::vector<std::string> names;
    for (const auto& [name, text] : files) names.push_back(name);
    names.push_back("README.txt");
    files.emplace_back("README.txt", export_readme_text(settings, scenario_name, names));

    std::vector<std::filesystem::path> written;
    for (const auto& [name, text] : files) {
        write_text(dir / name, text);
        written.push_back(dir / name);
    }
    return written;
}

} // namespace statelab
