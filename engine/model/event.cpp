#include "model/event.hpp"

namespace statelab {

namespace {
constexpr EventKind all_kinds[] = {
    EventKind::launch,       EventKind::attach,        EventKind::new_run,
    EventKind::shutdown,     EventKind::traffic_start, EventKind::traffic_set,
    EventKind::traffic_stop, EventKind::node_action,   EventKind::failover,
    EventKind::store_back,   EventKind::balancer_down, EventKind::balancer_up,
    EventKind::balancer_full, EventKind::balancer_moved};
} // namespace

const char* event_action_name(EventKind kind, Action action) {
    switch (kind) {
    case EventKind::launch:
        return "launch";
    case EventKind::attach:
        return "attach";
    case EventKind::new_run:
        return "new run";
    case EventKind::shutdown:
        return "shutdown";
    case EventKind::traffic_start:
        return "start";
    case EventKind::traffic_set:
        return action_name(Action::set);
    case EventKind::traffic_stop:
        return action_name(Action::stop);
    case EventKind::node_action:
        return action_name(action);
    case EventKind::failover:
        return "failover";
    case EventKind::store_back:
        return "store-back";
    case EventKind::balancer_down:
        return "down";
    case EventKind::balancer_up:
        return "up";
    case EventKind::balancer_full:
        return "full";
    case EventKind::balancer_moved:
        return "redispatch";
    }
    return "?";
}

std::optional<Event> parse_event(std::string_view action, std::string target) {
    Event event;
    event.target = std::move(target);
    const bool of_traffic = event.target == "traffic";
    for (EventKind kind : all_kinds) {
        const bool traffic_word = kind == EventKind::traffic_set || kind == EventKind::traffic_stop;
        if (kind == EventKind::node_action || (traffic_word && !of_traffic) ||
            action != event_action_name(kind, {}))
            continue;
        event.kind = kind;
        return event;
    }
    const auto node_action = parse_action(action);
    if (!node_action) return std::nullopt;
    event.kind = EventKind::node_action;
    event.action = *node_action;
    return event;
}

} // namespace statelab
