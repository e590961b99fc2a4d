#pragma once
// How long the traffic has run: from each start of the traffic to its stop, summed. The
// run's duration everywhere (summary.json's duration_s, the card's "over M:SS", the exports) is
// this, not the run clock, which goes on while the cluster idles before and after.
#include "model/event.hpp"

#include <algorithm>
#include <optional>

namespace statelab {

class TrafficClock {
public:
    // By kind: a node action "stop" on a part called "traffic" is written with the same words
    // as the traffic's stop, and is not it.
    void note(const Event& event) {
        if (event.kind == EventKind::traffic_start && !m_since) m_since = event.t_s;
        if (event.kind == EventKind::traffic_stop && m_since) m_ran_s += std::max(0.0, event.t_s - *m_since), m_since.reset();
    }
    // Seconds of traffic up to `now_s` on the run clock.
    double seconds(double now_s) const { return m_ran_s + (m_since ? std::max(0.0, now_s - *m_since) : 0.0); }
    bool running() const { return m_since.has_value(); }

private:
    double m_ran_s = 0;
    std::optional<double> m_since;
};

} // namespace statelab
