#include "cluster/cluster_plan.hpp"
#include "cluster/config_export.hpp"
#include "cluster/export_documents.hpp"

namespace statelab {

namespace {

// One `KEY: "value"` line of a service's environment. Double-quoted: values like redis:6379
// or a placeholder stay strings whatever they hold.
std::string variable(const std::string& key, const std::string& value) {
    return "      " + key + ": \"" + value + "\"\n";
}

// What the lab's statelab-backend was told on its command line, as environment variables for
// the app that takes its place. The names are suggestions: the app decides what it reads.
std::string app_environment(const ClusterSettings& settings, const std::string& node) {
    const std::string secret = exported_secret_placeholder;
    std::string env = variable("NODE_NAME", node);
    env += variable("SESSION_STORE", store_for(settings.mode));
    env += variable("SESSION_TTL_SECONDS", std::to_string(settings.session_ttl_s));
    if (settings.mode == Mode::shared_store || settings.mode == Mode::sticky_cached)
        env += variable("REDIS_ADDRESS", "redis:" + std::to_string(exported_redis_port));
    if (settings.mode == Mode::shared_store_ha) {
        std::string sentinels;
        for (int n = 1; n <= sentinel_count; ++n)
            sentinels += std::string(n > 1 ? "," : "") + "sentinel-" + std::to_string(n) + ":" +
                         std::to_string(exported_sentinel_port);
        env += variable("REDIS_SENTINELS", sentinels);
        env += variable("REDIS_MASTER_NAME", sentinel_master_name);
    }
    if (uses_redis(settings.mode)) env += variable("REDIS_PASSWORD", secret);
    if (settings.mode == Mode::client_token) env += variable("SESSION_TOKEN_SECRET", secret);
    if (settings.mode == Mode::replicated)
        if (const std::string buddy = buddy_of(node, settings.nodes); !buddy.empty())
            env += variable("SESSION_BUDDY", buddy + ":" + std::to_string(exported_app_port));
    return env;
}

std::string depends_on(const std::vector<std::string>& services) {
    std::string text = "    depends_on:\n";
    for (const auto& service : services) text += "      - " + service + "\n";
    return text;
}

} // namespace

std::string compose_yaml_text(const ClusterSettings& settings, const std::string& scenario_name) {
    const std::string app_port = std::to_string(exported_app_port);
    const std::string balancer_port = std::to_string(exported_balancer_port);
    std::string yaml = "# " + exported_label(settings, scenario_name) + " as a Compose project,\n";
    yaml += "# exported by statelab-cli export-config. First replace the app image and every\n"
            "# CHANGE-ME: see README.txt.\n";
    yaml += "name: statelab-" + std::string(mode_name(settings.mode)) + "\nservices:\n";
    std::vector<std::string> nodes, store;
    for (const auto& process : plan_processes(settings)) {
        const std::string& name = process.name;
        yaml += "  " + name + ":\n";
        switch (process.kind) {
        case ProcessKind::backend:
            nodes.push_back(name);
            yaml += "    # Replace with your own app's image. It listens on port " + app_port + "\n";
            yaml += "    # and answers GET /healthz with 200 while it serves (the health check).\n"
                    "    image: your-app:latest\n"
                    "    environment:\n";
            yaml += app_environment(settings, name);
            if (!store.empty()) yaml += depends_on(store);
            break;
        case ProcessKind::redis:
        case ProcessKind::redis_replica: {
            const bool primary = process.kind == ProcessKind::redis;
            yaml += "    image: redis:7\n"
                    "    command: [\"redis-server\", \"/usr/local/etc/redis/redis.conf\"]\n"
                    "    volumes:\n";
            yaml += "      - ./" + std::string(primary ? "redis.conf" : "redis-replica.conf") +
                    ":/usr/local/etc/redis/redis.conf:ro\n";
            if (!primary) yaml += depends_on({"redis"});
            store.push_back(name);
            break;
        }
        case ProcessKind::sentinel:
            // Sentinel rewrites its config file with what it learns (the replicas, the other
            // sentinels, a failover): each one starts from its own writable copy.
            yaml += R"(    image: redis:7
    command: ["sh", "-c", "cp /etc/statelab/sentinel.conf /data/sentinel.conf && exec redis-sentinel /data/sentinel.conf"]
    volumes:
      - ./sentinel.conf:/etc/statelab/sentinel.conf:ro
)";
            yaml += depends_on({"redis", "redis-replica-1"});
            store.push_back(name);
            break;
        case ProcessKind::balancer:
            yaml += "    image: haproxy:2.6\n    ports:\n";
            yaml += "      - \"" + balancer_port + ":" + balancer_port + "\"\n";
            yaml += "    volumes:\n      - ./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro\n";
            yaml += depends_on(nodes);
            break;
        }
        yaml += "    restart: unless-stopped\n";
    }
    return yaml;
}

} // namespace statelab
