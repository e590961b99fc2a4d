#include "model/action.hpp"

namespace statelab {

const char* action_name(Action action) {
    switch (action) {
    case Action::kill: return "kill";
    case Action::stop: return "stop";
    case Action::pause: return "pause";
    case Action::resume: return "resume";
    case Action::restart: return "restart";
    case Action::add: return "add";
    case Action::remove: return "remove";
    case Action::set: return "set";
    case Action::run: return "run";
    }
    return "?";
}

std::optional<Action> parse_action(std::string_view name) {
    for (Action a : all_actions)
        if (name == action_name(a)) return a;
    return std::nullopt;
}

bool acts_on_process(Action action) { return action != Action::set; }

bool needs_target(Action action) { return action != Action::add && action != Action::set; }

bool empties_memory(Action action) {
    return action == Action::kill || action == Action::stop || action == Action::remove || action == Action::restart;
}

bool interrupts_service(Action action) {
    return action == Action::kill || action == Action::stop || action == Action::remove || action == Action::pause;
}

} // namespace statelab
