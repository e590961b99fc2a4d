#pragma once
// Events as the engine logs them, for the unit tests that feed them by hand.
#include "model/event.hpp"

namespace statelab::test {

inline Event ev(double t, EventKind kind, const char* target) {
    return Event{.t_s = t, .kind = kind, .target = target};
}
inline Event ev(double t, Action action, const char* target) {
    return Event{.t_s = t, .kind = EventKind::node_action, .action = action, .target = target};
}

} // namespace statelab::test
