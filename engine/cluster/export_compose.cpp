// compose.yaml, written by yaml-cpp's emitter rather than by hand: every value is quoted as
// YAML needs, so no name can add a line or a key of its own.
#include "cluster/cluster_plan.hpp"
#include "cluster/config_export.hpp"
#include "cluster/export_documents.hpp"

#include <yaml-cpp/yaml.h>

#include <utility>

namespace statelab {

namespace {

using Variables = std::vector<std::pair<std::string, std::string>>;

// What the lab's statelab-backend was told on its command line, as environment variables for
// the app that takes its place. The names are suggestions: the app decides what it reads.
Variables app_environment(const ClusterSettings& settings, const std::string& node) {
    const std::string secret = exported_secret_placeholder;
    Variables env{{"NODE_NAME", node},
                  {"SESSION_STORE", store_for(settings.mode)},
                  {"SESSION_TTL_SECONDS", std::to_string(settings.session_ttl_s)}};
    if (settings.mode == Mode::shared_store || settings.mode == Mode::sticky_cached)
        env.emplace_back("REDIS_ADDRESS", "redis:" + std::to_string(exported_redis_port));
    if (settings.mode == Mode::shared_store_ha) {
        std::string sentinels;
        for (int n = 1; n <= sentinel_count; ++n)
            sentinels += std::string(n > 1 ? "," : "") + "sentinel-" + std::to_string(n) + ":" +
                         std::to_string(exported_sentinel_port);
        env.emplace_back("REDIS_SENTINELS", sentinels);
        env.emplace_back("REDIS_MASTER_NAME", sentinel_master_name);
    }
    if (uses_redis(settings.mode)) env.emplace_back("REDIS_PASSWORD", secret);
    if (settings.mode == Mode::client_token) env.emplace_back("SESSION_TOKEN_SECRET", secret);
    if (settings.mode == Mode::replicated)
        if (const std::string buddy = buddy_of(node, settings.nodes); !buddy.empty())
            env.emplace_back("SESSION_BUDDY", buddy + ":" + std::to_string(exported_app_port));
    return env;
}

void list(YAML::Emitter& out, const char* key, const std::vector<std::string>& items, bool quoted = false) {
    out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
    for (const auto& item : items) quoted ? out << YAML::DoubleQuoted << item : out << item;
    out << YAML::EndSeq;
}

void command(YAML::Emitter& out, const std::vector<std::string>& words) {
    out << YAML::Key << "command" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& word : words) out << YAML::DoubleQuoted << word;
    out << YAML::EndSeq;
}

void app_service(YAML::Emitter& out, const ClusterSettings& settings, const std::string& name,
                 const std::vector<std::string>& store) {
    out << YAML::Key << "image" << YAML::Value << "your-app:latest"
        << YAML::Comment("replace with your own app's image: it listens on port " + std::to_string(exported_app_port) +
                         " and answers GET /healthz with 200 while it serves (the health check)");
    // Double-quoted: values like redis:6379 or a placeholder stay strings whatever they hold.
    out << YAML::Key << "environment" << YAML::Value << YAML::BeginMap;
    for (const auto& [key, value] : app_environment(settings, name)) out << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << value;
    out << YAML::EndMap;
    if (!store.empty()) list(out, "depends_on", store);
}

void redis_service(YAML::Emitter& out, bool primary) {
    out << YAML::Key << "image" << YAML::Value << "redis:7";
    command(out, {"redis-server", "/usr/local/etc/redis/redis.conf"});
    list(out, "volumes", {std::string("./") + (primary ? "redis.conf" : "redis-replica.conf") + ":/usr/local/etc/redis/redis.conf:ro"});
    if (!primary) list(out, "depends_on", {"redis"});
}

void sentinel_service(YAML::Emitter& out) {
    // Sentinel rewrites its config file with what it learns (the replicas, the other
    // sentinels, a failover): each one starts from its own writable copy.
    out << YAML::Key << "image" << YAML::Value << "redis:7";
    command(out, {"sh", "-c", "cp /etc/statelab/sentinel.conf /data/sentinel.conf && exec redis-sentinel /data/sentinel.conf"});
    list(out, "volumes", {"./sentinel.conf:/etc/statelab/sentinel.conf:ro"});
    list(out, "depends_on", {"redis", "redis-replica-1"});
}

void balancer_service(YAML::Emitter& out, const std::vector<std::string>& nodes) {
    const std::string port = std::to_string(exported_balancer_port);
    out << YAML::Key << "image" << YAML::Value << "haproxy:2.6";
    list(out, "ports", {port + ":" + port}, true);
    list(out, "volumes", {"./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"});
    list(out, "depends_on", nodes);
}

} // namespace

std::string compose_yaml_text(const ClusterSettings& settings, const std::string& scenario_name) {
    YAML::Emitter out;
    out << YAML::Comment(exported_label(settings, scenario_name) +
                         " as a Compose project,\nexported by statelab-cli export-config. First replace the app image and every\n"
                         "CHANGE-ME: see README.txt.");
    out << YAML::Newline << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << "statelab-" + std::string(mode_name(settings.mode));
    out << YAML::Key << "services" << YAML::Value << YAML::BeginMap;
    std::vector<std::string> nodes, store;
    for (const auto& process : plan_processes(settings)) {
        out << YAML::Key << process.name << YAML::Value << YAML::BeginMap;
        switch (process.kind) {
        case ProcessKind::backend:
            nodes.push_back(process.name);
            app_service(out, settings, process.name, store);
            break;
        case ProcessKind::redis:
        case ProcessKind::redis_replica:
            redis_service(out, process.kind == ProcessKind::redis);
            store.push_back(process.name);
            break;
        case ProcessKind::sentinel:
            sentinel_service(out);
            store.push_back(process.name);
            break;
        case ProcessKind::balancer:
            balancer_service(out, nodes);
            break;
        }
        out << YAML::Key << "restart" << YAML::Value << "unless-stopped" << YAML::EndMap;
    }
    out << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

} // namespace statelab
