#include "driven/driven_target.hpp"

#include "cluster/supervisor.hpp"
#include "metrics/run_recorder.hpp"

namespace statelab {

namespace {
// A command that has not ended by then is killed: the story must go on.
constexpr std::chrono::seconds command_limit{60};
} // namespace

tcp::endpoint DrivenTarget::endpoint() const {
    return tcp::endpoint(asio::ip::make_address(m_address.address), m_address.port);
}

Event DrivenTarget::opening_event(const ClusterSettings&) const {
    Event event;
    event.kind = EventKind::attach, event.target = "target";
    event.detail = m_target.url + " (" + m_address.address + ")";
    return event;
}

void DrivenTarget::describe(RunRecorder& recorder) const {
    const ValueSource& by = m_target.served_by;
    recorder.set_target(m_target.url, by.name.empty() ? "not known"
                                      : (by.from == ValueSource::From::cookie ? "cookie " : "header ") + by.name);
}

std::string DrivenTarget::act(Action action, const std::string& target, std::function<void(ActOutcome)> done) {
    const auto named = m_target.actions.find(target);
    if (named == m_target.actions.end() || !named->second.count(action))
        throw ClusterError("no command for " + std::string(action_name(action)) + " " + target +
                           " in the scenario's \"actions\"");
    // Off the caller's thread: a slow command holds up neither the timeline nor the traffic's
    // end. Its event is put at the moment it was asked for, with what it said.
    m_commands.start(named->second.at(action), command_limit, [target, done = std::move(done)](const CommandOutcome& outcome) {
        ActOutcome out;
        out.affected = target;
        out.detail = outcome.summary();
        out.exit_status = outcome.timed_out ? -1 : outcome.exit_status;
        out.at_issue = true;
        done(std::move(out));
    });
    return target;
}

} // namespace statelab
