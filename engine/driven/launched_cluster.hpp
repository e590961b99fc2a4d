#pragma once
// The lab's own cluster: the processes a Supervisor launched, watched and acted on directly.
#include "cluster/supervisor.hpp"
#include "driven/driven_system.hpp"

namespace statelab {

class LaunchedCluster final : public DrivenSystem {
public:
    // Launches every process and waits until each is ready; throws ClusterError, having stopped
    // what it started.
    LaunchedCluster(ClusterSpec spec, const std::function<void(const std::string&)>& progress);

    tcp::endpoint endpoint() const override;
    std::string base_url() const override { return m_cluster.base_url(); }
    Event opening_event(const ClusterSettings& settings) const override;
    std::string shutdown_detail() const override { return "every process stopped"; }

    std::vector<NodeStatus> processes() const override { return m_cluster.statuses(); }
    std::vector<NodeStatus> snapshot_statuses(const IntervalStats&, const ServerNames&, double, bool) override {
        return m_cluster.statuses();
    }
    std::vector<std::pair<std::string, std::uint16_t>> polled_ports() const override;
    bool nodes_polled() const override { return true; }

    std::string act(Action action, const std::string& target, std::function<void(ActOutcome)> done) override;

    std::unique_ptr<BalancerWatch> watch_balancer() const override;
    std::unique_ptr<StoreWatcher> watch_store(Mode mode) const override;

    void shutdown() override { m_cluster.shutdown(); }

private:
    Supervisor m_cluster;
};

} // namespace statelab
