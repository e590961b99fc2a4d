#pragma once
// Somebody else's servers, as the answers show them: nobody here knows their processes, so the
// servers are those the answers named, up while they answer (silent for 2 s while the traffic
// runs: down — killed, paused or cut off; once it stops, silence is expected: "no traffic").
#include "metrics/interval_stats.hpp"
#include "metrics/server_names.hpp"
#include "model/node_status.hpp"

#include <vector>

namespace statelab {

class AnsweringServers {
public:
    // Called once per snapshot, on the snapshot thread.
    std::vector<NodeStatus> statuses(const IntervalStats& interval, const ServerNames& names, double now_s, bool sending);

private:
    std::size_t m_highest = 0;          // the highest server number the answers named so far
    std::vector<double> m_last_answer_s; // per server number: when it last answered (run clock)
};

} // namespace statelab
