#pragma once
// What was done during a run, as a scenario's timeline: every node action, traffic change,
// pause and resume, at its offset on the run clock from the traffic's first start (the
// "start" event). Saved and played again, it happens at the same offsets.
#include "model/scenario.hpp"

#include <optional>
#include <vector>

namespace statelab {

class RunRecording {
public:
    void reset() { *this = RunRecording{}; }
    // `now_s` is the run clock (Engine::elapsed_s) at the moment of each call.
    void traffic_started(double now_s, const TrafficSettings& traffic);
    void traffic_changed(double now_s, const TrafficSettings& before, const TrafficSettings& after);
    void traffic_paused(double now_s); // a scenario has no "pause": zero users is the same load
    void acted(double now_s, Action action, const std::string& target);

    // The run clock's reading at the traffic's first start, if it started.
    std::optional<double> origin_s() const { return m_origin_s; }
    // `base` with the traffic it started with, the timeline and a duration up to `now_s`.
    Scenario scenario(Scenario base, double now_s) const;

private:
    double offset(double now_s) const;

    std::optional<double> m_origin_s;
    TrafficSettings m_first_traffic;
    std::vector<TimelineAction> m_timeline;
};

} // namespace statelab
