#include "cluster/cluster_plan.hpp"

#include <cstdio>
#include <string_view>

namespace statelab {

const char* store_for(Mode mode) {
    switch (mode) {
    case Mode::sticky:
    case Mode::sticky_ip:
    case Mode::sticky_url:
    case Mode::consistent_hash:
    case Mode::hash_mod_n: return "memory";
    case Mode::shared_store:
    case Mode::shared_store_ha: return "redis";
    case Mode::sticky_cached: return "cached";
    case Mode::client_token: return "token";
    case Mode::replicated: return "replicated";
    }
    return "memory";
}

bool uses_redis(Mode mode) {
    const std::string_view store = store_for(mode);
    return store == "redis" || store == "cached";
}

std::string buddy_of(const std::string& node, int planned_nodes) {
    int number = 0;
    if (!node.starts_with("node-") || std::sscanf(node.c_str() + 5, "%d", &number) != 1 || number < 1) return {};
    if (planned_nodes < 2) return {};
    return "node-" + std::to_string(number < planned_nodes ? number + 1 : 1);
}

std::vector<PlannedProcess> plan_processes(const ClusterSettings& settings) {
    std::vector<PlannedProcess> plan;
    if (uses_redis(settings.mode)) plan.push_back({"redis", ProcessKind::redis});
    if (settings.mode == Mode::shared_store_ha) {
        plan.push_back({"redis-replica-1", ProcessKind::redis_replica});
        for (int n = 1; n <= sentinel_count; ++n) plan.push_back({"sentinel-" + std::to_string(n), ProcessKind::sentinel});
    }
    for (int n = 1; n <= settings.nodes; ++n) plan.push_back({"node-" + std::to_string(n), ProcessKind::backend, n});
    plan.push_back({"balancer", ProcessKind::balancer});
    return plan;
}

} // namespace statelab
