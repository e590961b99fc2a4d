#pragma once
// Plays a scenario's timeline against the clock started with its traffic, with the same
// semantics as `statelab-cli run`: each action at its at_s, in order; traffic stops at
// duration_s. The window carries the actions out exactly as if the user had clicked.
#include "model/scenario.hpp"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace statelab::gui {

class ScenarioRunner : public QObject {
    Q_OBJECT
public:
    explicit ScenarioRunner(QObject* parent = nullptr);

    void start(const Scenario& scenario); // call when the scenario's traffic has started
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    double elapsed_s() const;

signals:
    void actionDue(const statelab::TimelineAction& action);
    void finished(); // duration_s reached

private:
    void tick();

    Scenario m_scenario;
    std::size_t m_next = 0;
    QElapsedTimer m_clock;
    QTimer m_timer;
};

} // namespace statelab::gui
