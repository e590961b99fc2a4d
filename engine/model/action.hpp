#pragma once
// What a timeline entry, a CLI timeline or a click in the window does to the cluster. One name
// table (action_name / parse_action): scenario files, events and the window use these names.
#include <optional>
#include <string_view>

namespace statelab {

// `run`: any command of a target's "actions" at its time (a probe, `kubectl rollout restart`).
enum class Action { kill, stop, pause, resume, restart, add, remove, set, run };

inline constexpr Action all_actions[] = {Action::kill, Action::stop,   Action::pause, Action::resume, Action::restart,
                                         Action::add,  Action::remove, Action::set,   Action::run};

const char* action_name(Action action);
std::optional<Action> parse_action(std::string_view name);

// Acts on a process of the cluster (all but `set`, which changes the traffic).
bool acts_on_process(Action action);
// Needs a target process (`add` makes a new node, `set` changes the traffic).
bool needs_target(Action action);
// The process's memory is gone afterwards (killed, stopped, taken out, or started anew): the
// sessions it held are lost to its users.
bool empties_memory(Action action);
// Users feel it at once: the process stops serving (also a pause, which loses nothing).
bool interrupts_service(Action action);

} // namespace statelab
