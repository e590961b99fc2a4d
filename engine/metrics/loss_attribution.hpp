#pragma once
// Which event lost a session. The client knows which node last held its session; the run
// knows what was done to which process and when. A loss goes to the event that took the
// holder's memory (kill, stop, remove or restart of that node; a restart of the store), else
// to the latest change of the cluster's membership (the balancer's hash moved the user away
// from a node that was fine), else to nothing (idle expiry, say). The balancer's own DOWN and UP
// (balancer_down / balancer_up events) count: one it made on its own (a check that timed out on a busy node)
// is the cause of the losses it brought. The window's summary card
// and summary.json's events say "lost N" from this.
#include "model/event.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <optional>
#include <vector>

namespace statelab {

class LossAttribution {
public:
    // `sessions_on_nodes`: the mode keeps sessions in the app servers' memory (sticky modes);
    // otherwise they live in the store (or the client) and only the store's events lose them.
    // `holder_name`: the name events give the node a holder number stands for (the lab's node-N,
    // or a name somebody else's servers answered with).
    // `served_name`: the server name an event's target stands for (a target's "served_as"; the
    // same name when not given).
    explicit LossAttribution(bool sessions_on_nodes = true, std::function<std::string(std::size_t)> holder_name = {},
                             std::function<std::string(const std::string&)> served_name = {})
        : m_sessions_on_nodes(sessions_on_nodes), m_holder_name(std::move(holder_name)), m_served_name(std::move(served_name)) {}

    // Every event of the run, in the order logged (its index is its place in that order).
    void note(const Event& event) { m_events.push_back(event); }
    // This interval's losses by holder node number (0 = not known) -> losses per event index;
    // what no event explains is added to `*unexplained`.
    std::vector<EventLoss> attribute(const std::vector<std::uint64_t>& lost_by_holder, std::uint64_t* unexplained) const;
    std::optional<std::size_t> cause(std::size_t holder) const;

private:
    std::size_t what_the_lab_did(std::size_t index) const;
    std::string holder_name(std::size_t holder) const {
        return m_holder_name ? m_holder_name(holder) : "node-" + std::to_string(holder);
    }
    std::string served(const std::string& target) const { return m_served_name ? m_served_name(target) : target; }
    bool m_sessions_on_nodes;
    std::function<std::string(std::size_t)> m_holder_name;
    std::function<std::string(const std::string&)> m_served_name;
    std::vector<Event> m_events;
};

} // namespace statelab
