#pragma once
// A balancer somebody else runs, on this machine (statelab-cli run --balancer-url): nothing is
// launched, probed or acted on; the servers are those its answers name.
#include "driven/answering_servers.hpp"
#include "driven/driven_system.hpp"

namespace statelab {

class AttachedBalancer final : public DrivenSystem {
public:
    explicit AttachedBalancer(std::uint16_t port) : m_port(port) {}

    tcp::endpoint endpoint() const override { return tcp::endpoint(asio::ip::address_v4::loopback(), m_port); }
    std::string base_url() const override { return "http://127.0.0.1:" + std::to_string(m_port); }
    Event opening_event(const ClusterSettings& settings) const override;
    std::string shutdown_detail() const override { return "detached"; }

    std::vector<NodeStatus> snapshot_statuses(const IntervalStats& interval, const ServerNames& names, double now_s,
                                              bool sending) override {
        return m_servers.statuses(interval, names, now_s, sending);
    }

    std::string skip_reason(Action action) const override;
    std::string act(Action, const std::string&, std::function<void(ActOutcome)>) override;

private:
    std::uint16_t m_port;
    AnsweringServers m_servers;
};

} // namespace statelab
