#include "driven/launched_cluster.hpp"

#include "cluster/launch_commands.hpp"
#include "cluster/cluster_plan.hpp"

namespace statelab {

LaunchedCluster::LaunchedCluster(ClusterSpec spec, const std::function<void(const std::string&)>& progress)
    : m_cluster(std::move(spec)) {
    m_cluster.launch(progress);
}

tcp::endpoint LaunchedCluster::endpoint() const {
    return tcp::endpoint(asio::ip::address_v4::loopback(), m_cluster.balancer_port());
}

Event LaunchedCluster::opening_event(const ClusterSettings& settings) const {
    return cluster_opening(EventKind::launch, settings);
}

std::vector<std::pair<std::string, std::uint16_t>> LaunchedCluster::polled_ports() const {
    std::vector<std::pair<std::string, std::uint16_t>> out;
    for (const NodeStatus& s : m_cluster.statuses())
        if (s.kind == ProcessKind::backend && s.state == ProcessState::up && s.port) out.emplace_back(s.name, s.port);
    return out;
}

std::string LaunchedCluster::act(Action action, const std::string& target, std::function<void(ActOutcome)> done) {
    if (action == Action::run)
        throw ClusterError("'run' runs a command of a target scenario's \"actions\"; the lab's own cluster has none");
    ActOutcome outcome;
    outcome.affected = m_cluster.apply(action, target);
    const std::string affected = outcome.affected;
    done(std::move(outcome));
    return affected;
}

// The lab's own balancer: which nodes it takes as up (HAProxy's only with its stats socket).
std::unique_ptr<BalancerWatch> LaunchedCluster::watch_balancer() const {
    if (m_cluster.spec().balancer == BalancerKind::builtin)
        return std::make_unique<BalancerWatch>(read_builtin_balancer(m_cluster.balancer_port()), "statelab-balancer");
    if (auto socket = haproxy_stats_socket(m_cluster.spec().run_dir); !socket.empty())
        return std::make_unique<BalancerWatch>(read_haproxy(std::move(socket)), "haproxy");
    return nullptr;
}

// shared-store-ha: the sentinels say which Redis is primary now.
std::unique_ptr<StoreWatcher> LaunchedCluster::watch_store(Mode mode) const {
    if (mode != Mode::shared_store_ha) return nullptr;
    std::vector<std::uint16_t> sentinels;
    for (const NodeStatus& s : m_cluster.statuses())
        if (s.kind == ProcessKind::sentinel) sentinels.push_back(s.port);
    return std::make_unique<StoreWatcher>(sentinels, m_cluster.store_password(), sentinel_master_name);
}

} // namespace statelab
