#pragma once
// Somebody else's system as the target (a scenario's "target"): nothing is launched; the servers
// are those its answers name by `served_by`, and a node action runs the command its "actions"
// map it to, off the caller's thread.
#include "cluster/command_runner.hpp"
#include "driven/answering_servers.hpp"
#include "driven/driven_system.hpp"
#include "model/target.hpp"

namespace statelab {

class DrivenTarget final : public DrivenSystem {
public:
    DrivenTarget(Target target, TargetAddress address) : m_target(std::move(target)), m_address(std::move(address)) {}

    tcp::endpoint endpoint() const override;
    std::string host() const override { return m_target.host + ":" + std::to_string(m_target.port); }
    std::string base_url() const override { return "http://" + m_address.address + ":" + std::to_string(m_address.port); }
    ValueSource served_by() const override { return m_target.served_by; }
    bool lab_names() const override { return false; }
    Event opening_event(const ClusterSettings& settings) const override;
    void describe(RunRecorder& recorder) const override;
    std::string shutdown_detail() const override { return "detached"; }
    std::string served_name(const std::string& action_name) const override { return m_target.served_name(action_name); }

    std::vector<NodeStatus> snapshot_statuses(const IntervalStats& interval, const ServerNames& names, double now_s,
                                              bool sending) override {
        return m_servers.statuses(interval, names, now_s, sending);
    }
    bool servers_known() const override { return !m_target.served_by.name.empty(); }

    std::string act(Action action, const std::string& target, std::function<void(ActOutcome)> done) override;
    void end_actions() override { m_commands.end_all(); }

private:
    const Target m_target;
    const TargetAddress m_address;
    AnsweringServers m_servers;
    CommandRunner m_commands; // each command on a thread of its own
};

} // namespace statelab
