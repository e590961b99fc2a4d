#pragma once
// The run on screen, from the launch (or the traffic that starts a new run on a cluster already
// up) to the next: what was launched and when, whether it plays the loaded scenario, how far
// the engine has got with it, and what the user named it and chose to export. The window
// resets its figures (tally, charts, log) beside it.
#include "model/cluster_settings.hpp"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include <cstddef>
#include <optional>
#include <utility>

namespace statelab::gui {

class EngineBridge;
class ScenarioSlot;

class CurrentRun {
    Q_DECLARE_TR_FUNCTIONS(CurrentRun)
public:
    CurrentRun(const EngineBridge& bridge, const ScenarioSlot& scenario) : m_bridge(bridge), m_scenario(scenario) {}

    void begin(const ClusterSettings& launched, bool playsScenario); // a launch
    void beginOnSameCluster(); // traffic after a kept run: a new run, driven by hand

    const ClusterSettings& launched() const { return m_launched; }
    QDateTime startedAt() const; // the launch, or now before any
    bool playsScenario() const { return m_playsScenario; }
    // What was done is the engine's recording once the traffic started; before, there is none.
    bool trafficStarted() const { return m_trafficStarted; }
    void setTrafficStarted() { m_trafficStarted = true; }
    // True when the engine has carried out another timeline action (snapshot.story.done).
    bool storyMoved(std::size_t done);
    // The scenario's traffic ended: the run is kept once the answers still in flight are
    // counted, at the snapshot after the one that said so.
    void storyFinished() { m_sealCountdown = 2; }
    bool sealDue(); // called once per snapshot; true at the one that keeps the run

    // The user's name, else the scenario's, else what a hand-driven run was and what was done,
    // so a list of kept runs reads by itself.
    QString name() const;
    void setName(const QString& name) { m_customName = name; }

    // The part of the run exports show, as the user chose it (run clock seconds).
    const std::optional<std::pair<double, double>>& chosenRange() const { return m_chosenRange; }
    void setChosenRange(std::optional<std::pair<double, double>> range) { m_chosenRange = range; }

private:
    void reset();

    const EngineBridge& m_bridge;
    const ScenarioSlot& m_scenario;
    ClusterSettings m_launched;
    QDateTime m_launchedAt;
    bool m_playsScenario = false;
    bool m_trafficStarted = false;
    std::size_t m_storyDone = 0;
    int m_sealCountdown = 0;
    QString m_customName;
    std::optional<std::pair<double, double>> m_chosenRange;
};

} // namespace statelab::gui
