#include "metrics/loss_attribution.hpp"

#include "model/action.hpp"
#include "model/node_status.hpp"

#include <string>

namespace statelab {

namespace {
// Events name their action (Event::action); these are the node actions among them.
bool takes_memory(const std::string& event_action) {
    const auto action = parse_action(event_action);
    return action && empties_memory(*action);
}
bool changes_membership(const std::string& event_action) {
    const auto action = parse_action(event_action);
    return action && acts_on_process(*action);
}
} // namespace

std::optional<std::size_t> LossAttribution::cause(std::size_t holder) const {
    const std::string node = holder_name(holder);
    // The process whose memory held the session: the store (any of its Redis servers: in
    // shared-store-ha the primary that died with writes its replica had not got), or the node.
    const bool in_store = !m_sessions_on_nodes;
    auto held_it = [&](const std::string& target) { return in_store ? is_store_process(target) : target == node; };
    if (in_store || holder > 0) {
        for (std::size_t i = m_events.size(); i-- > 0;) {
            const Event& e = m_events[i];
            if (!held_it(e.target) || !takes_memory(e.action)) continue;
            if (in_store || e.action != action_name(Action::restart)) return i;
            // A node restarted after it was killed or stopped: the kill lost the sessions.
            for (std::size_t j = i; j-- > 0;) {
                const Event& before = m_events[j];
                if (before.target != e.target || !takes_memory(before.action)) continue;
                if (before.action == action_name(Action::kill) || before.action == action_name(Action::stop)) return j;
                break;
            }
            return i;
        }
    }
    // Nothing happened to the holder: the balancer sent the user elsewhere after a change.
    for (std::size_t i = m_events.size(); i-- > 0;) {
        const Event& e = m_events[i];
        if (changes_membership(e.action) && (e.target.starts_with("node-") || is_store_process(e.target))) return i;
    }
    return std::nullopt;
}

std::vector<EventLoss> LossAttribution::attribute(const std::vector<std::uint64_t>& lost_by_holder,
                                                  std::uint64_t* unexplained) const {
    std::vector<EventLoss> out;
    for (std::size_t holder = 0; holder < lost_by_holder.size(); ++holder) {
        const std::uint64_t lost = lost_by_holder[holder];
        if (lost == 0) continue;
        const auto index = cause(holder);
        if (!index) {
            if (unexplained) *unexplained += lost;
            continue;
        }
        const Event& e = m_events[*index];
        const bool moved = m_sessions_on_nodes && e.target != holder_name(holder);
        out.push_back({*index, e.action, e.target, lost, moved, holder});
    }
    return out;
}

} // namespace statelab
