// Somebody else's system as the target: no cluster launched, node actions as commands.
#include "engine_impl.hpp"

#include "cluster/action_command.hpp"

namespace statelab {

namespace {
// A command that has not ended by then is killed: the story must go on.
constexpr std::chrono::seconds command_limit{60};
} // namespace

void Engine::attach_target(const Scenario& scenario, const TargetAddress& address) {
    if (!scenario.target) throw ClusterError("the scenario has no target");
    shutdown();
    std::lock_guard turn(m_impl->commands);
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->attached_port = address.port;
        m_impl->attached_address = address.address;
        m_impl->attached_nodes = 0;
        m_impl->last_answer_s.clear();
        m_impl->target = scenario.target;
    }
    m_impl->load->set_attribution(scenario.target->served_by, false);
    m_impl->begin_run(scenario);
}

std::string Engine::Impl::act_by_command(Action action, const std::string& target_name) {
    const auto driven = driven_target();
    const auto named = driven->actions.find(target_name);
    if (named == driven->actions.end() || !named->second.count(action))
        throw ClusterError("no command for " + std::string(action_name(action)) + " " + target_name +
                           " in the scenario's \"actions\"");
    const double issued_s = [&] {
        std::lock_guard lock(mutex);
        const double at_s = now_s();
        recording.acted(at_s, action, target_name);
        return at_s;
    }();
    // Off the story's thread: a slow command holds up neither the timeline nor the traffic's end.
    // Its event is logged when it ends, at the moment it was asked for, with what it said.
    command_runner.start(named->second.at(action), command_limit,
                         [this, action, target_name, issued_s](const CommandOutcome& outcome) {
                             log_event(action_name(action), target_name, outcome.summary(), 0, {}, issued_s,
                                       outcome.timed_out ? -1 : outcome.exit_status);
                         });
    return target_name;
}

} // namespace statelab
