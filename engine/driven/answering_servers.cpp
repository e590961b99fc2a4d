#include "driven/answering_servers.hpp"

#include <algorithm>

namespace statelab {

std::vector<NodeStatus> AnsweringServers::statuses(const IntervalStats& interval, const ServerNames& names, double now_s,
                                                   bool sending) {
    if (m_last_answer_s.size() < interval.by_node.size()) m_last_answer_s.resize(interval.by_node.size(), 0);
    for (std::size_t n = 1; n < interval.by_node.size(); ++n)
        if (interval.by_node[n].requests > 0) m_highest = std::max(m_highest, n), m_last_answer_s[n] = now_s;
    std::vector<NodeStatus> out;
    for (std::size_t n = 1; n <= m_highest; ++n) {
        NodeStatus status;
        status.name = names.name(n);
        status.kind = ProcessKind::backend;
        // Every server turns "no traffic" in the same snapshot, not each 2 s after its last answer.
        status.state = !sending                          ? ProcessState::quiet
                       : now_s - m_last_answer_s[n] <= 2.0 ? ProcessState::up
                                                          : ProcessState::down;
        out.push_back(std::move(status));
    }
    return out;
}

} // namespace statelab
