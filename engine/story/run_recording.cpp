#include "story/run_recording.hpp"

#include <algorithm>
#include <cmath>

namespace statelab {

double RunRecording::offset(double now_s) const {
    // Milliseconds: what a scenario file shows, and finer than the player's timing.
    return std::round(std::max(0.0, now_s - m_origin_s.value_or(now_s)) * 1000.0) / 1000.0;
}

void RunRecording::traffic_started(double now_s, const TrafficSettings& traffic) {
    if (!m_origin_s) {
        m_origin_s = now_s;
        m_first_traffic = traffic;
        return;
    }
    TimelineAction resume; // a start after a pause
    resume.at_s = offset(now_s);
    resume.action = Action::set;
    resume.users = traffic.users;
    resume.think_ms = traffic.think_ms;
    resume.rate = traffic.rate;
    if (!traffic.declared) resume.journey = traffic.journey; // a declared one stays as it was
    m_timeline.push_back(resume);
}

void RunRecording::traffic_changed(double now_s, const TrafficSettings& before, const TrafficSettings& after) {
    if (!m_origin_s) { // changed before it started: the run starts with it
        m_first_traffic = after;
        return;
    }
    TimelineAction set;
    set.at_s = offset(now_s);
    set.action = Action::set;
    if (after.users != before.users) set.users = after.users;
    if (after.think_ms != before.think_ms) set.think_ms = after.think_ms;
    if (after.rate != before.rate) set.rate = after.rate;
    if ((after.journey != before.journey || after.browse_share != before.browse_share) && !after.declared)
        set.journey = after.journey;
    if (set.users || set.think_ms || set.rate || set.journey) m_timeline.push_back(set);
}

void RunRecording::traffic_paused(double now_s) {
    if (!m_origin_s) return;
    TimelineAction pause;
    pause.at_s = offset(now_s);
    pause.action = Action::set;
    pause.users = 0;
    m_timeline.push_back(pause);
}

void RunRecording::acted(double now_s, Action action, const std::string& target) {
    TimelineAction done;
    done.at_s = offset(now_s);
    done.action = action;
    done.target = needs_target(action) ? target : std::string();
    m_timeline.push_back(done);
}

Scenario RunRecording::scenario(Scenario base, double now_s) const {
    if (!m_origin_s) return base;
    base.traffic = m_first_traffic;
    base.timeline = m_timeline;
    base.duration_s = std::max(1.0, std::ceil(now_s - *m_origin_s));
    return base;
}

} // namespace statelab
