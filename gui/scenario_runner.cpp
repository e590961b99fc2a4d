#include "scenario_runner.hpp"

namespace statelab::gui {

ScenarioRunner::ScenarioRunner(QObject* parent) : QObject(parent) {
    m_timer.setInterval(20); // the CLI's poll period: actions land within 20 ms of at_s
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ScenarioRunner::tick);
}

void ScenarioRunner::start(const Scenario& scenario) {
    m_scenario = scenario;
    m_next = 0;
    m_clock.start();
    m_timer.start();
    tick(); // at_s 0 actions happen now, not one period late
}

void ScenarioRunner::stop() { m_timer.stop(); }

double ScenarioRunner::elapsed_s() const { return m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0; }

void ScenarioRunner::tick() {
    const double now = elapsed_s();
    while (m_next < m_scenario.timeline.size() && m_scenario.timeline[m_next].at_s <= now) {
        const TimelineAction action = m_scenario.timeline[m_next++];
        emit actionDue(action);
        if (!m_timer.isActive()) return; // a slot stopped us
    }
    if (now >= m_scenario.duration_s) {
        m_timer.stop();
        emit finished();
    }
}

} // namespace statelab::gui
