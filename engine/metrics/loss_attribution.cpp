#include "metrics/loss_attribution.hpp"

#include "model/action.hpp"
#include "model/node_status.hpp"

#include <string>

namespace statelab {

namespace {
bool takes_memory(const Event& e) { return e.kind == EventKind::node_action && empties_memory(e.action); }
// The balancer's own transitions (BalancerWatch): it took a node out or back on its own.
bool balancer_took_out(const Event& e) { return e.kind == EventKind::balancer_down; }
bool balancer_took_back(const Event& e) { return e.kind == EventKind::balancer_up; }
// It sent the node's requests elsewhere while the node stayed up (HAProxy's redispatch).
bool balancer_sent_away(const Event& e) { return e.kind == EventKind::balancer_moved; }
bool changes_membership(const Event& e) {
    if (balancer_took_out(e) || balancer_took_back(e)) return true;
    return e.kind == EventKind::node_action && acts_on_process(e.action);
}
} // namespace

std::optional<std::size_t> LossAttribution::cause(std::size_t holder) const {
    const std::string node = holder_name(holder);
    // The process whose memory held the session: the store (any of its Redis servers: in
    // shared-store-ha the primary that died with writes its replica had not got), or the node.
    const bool in_store = !m_sessions_on_nodes;
    auto held_it = [&](const std::string& target) { return in_store ? is_store_process(target) : served(target) == node; };
    if (in_store || holder > 0) {
        // The balancer taking the holder out moved its users away from a node with their
        // sessions (a check timed out on a busy node): that transition lost them, unless the
        // node had lost its memory anyway (a kill, which the balancer then noticed).
        std::optional<std::size_t> taken_out;
        for (std::size_t i = m_events.size(); i-- > 0;) {
            const Event& e = m_events[i];
            // The latest thing that happened to the holder is the balancer sending its users
            // elsewhere while it was up: that lost them.
            if (!in_store && served(e.target) == node && balancer_sent_away(e) && !taken_out) return what_the_lab_did(i);
            if (!in_store && served(e.target) == node && balancer_took_out(e)) {
                if (!taken_out) taken_out = i;
                continue;
            }
            if (!in_store && served(e.target) == node && balancer_took_back(e)) {
                if (taken_out) return taken_out; // out after it was back: nothing took its memory since
                continue;
            }
            if (!held_it(e.target) || !takes_memory(e)) continue;
            if (in_store || !is_node_action(e, Action::restart)) return i;
            // A node restarted after it was killed or stopped: the kill lost the sessions.
            for (std::size_t j = i; j-- > 0;) {
                const Event& before = m_events[j];
                if (served(before.target) != served(e.target) || !takes_memory(before)) continue;
                if (is_node_action(before, Action::kill) || is_node_action(before, Action::stop)) return j;
                break;
            }
            return i;
        }
        if (taken_out) return taken_out;
    }
    // Nothing happened to the holder: the balancer sent the user elsewhere after a change.
    for (std::size_t i = m_events.size(); i-- > 0;) {
        const Event& e = m_events[i];
        if (changes_membership(e) && (e.target.starts_with("node-") || is_store_process(e.target)))
            return what_the_lab_did(i);
    }
    return std::nullopt;
}

// The balancer taking a node out after a kill, or back after a restart, only noticed what the
// run did: the re-hash is that action's. Out after a pause, or in and out on its own, is the
// balancer's. So is sending a killed node's requests elsewhere before its DOWN.
std::size_t LossAttribution::what_the_lab_did(std::size_t index) const {
    const Event& e = m_events[index];
    if (balancer_sent_away(e)) {
        // HAProxy counts a redispatch when it makes it, and requests in flight are moved after
        // its DOWN too (a read once saw kill 8.0 s, DOWN 8.5 s, redispatch 8.8 s): past the
        // balancer's own events, a kill or restart of that node in the seconds before lost them.
        constexpr double noticing_s = 10;
        for (std::size_t i = index; i-- > 0;) {
            const Event& before = m_events[i];
            if (served(before.target) != served(e.target)) continue;
            if (balancer_took_out(before) || balancer_took_back(before) || balancer_sent_away(before)) continue;
            return takes_memory(before) && e.t_s - before.t_s <= noticing_s ? i : index;
        }
        return index;
    }
    if (!balancer_took_out(e) && !balancer_took_back(e)) return index;
    for (std::size_t i = index; i-- > 0;) {
        const Event& before = m_events[i];
        if (served(before.target) != served(e.target)) continue;
        const bool noticed = takes_memory(before) || is_node_action(before, Action::add);
        return noticed ? i : index;
    }
    return index;
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
        // Moved: the user was sent away from a node that kept its memory (a re-hash, or the
        // balancer taking the holder itself out).
        const bool moved = m_sessions_on_nodes &&
                           (served(e.target) != holder_name(holder) || balancer_took_out(e) || balancer_sent_away(e));
        out.push_back({*index, e.kind, e.action, e.target, lost, moved, holder});
    }
    return out;
}

} // namespace statelab
