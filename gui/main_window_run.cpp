// MainWindow, the run's story: user and timeline actions, scenario open/save/run, export.
#include "main_window.hpp"

#include "charts/chart_view_base.hpp"
#include "cluster_panel.hpp"
#include "engine_bridge.hpp"
#include "example_scenarios.hpp"
#include "scenario/scenario_parser.hpp"
#include "scenario/scenario_writer.hpp"
#include "scenario_runner.hpp"
#include "event_log_dock.hpp"
#include "traffic_panel.hpp"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QStatusBar>

namespace statelab::gui {

double MainWindow::trafficClock() const { return m_trafficClock.isValid() ? m_trafficClock.elapsed() / 1000.0 : 0; }

void MainWindow::onActionRequested(const QString& action, const QString& target) {
    TimelineAction recorded;
    recorded.at_s = trafficClock();
    recorded.action = parse_action(action.toStdString()).value_or(Action::kill);
    recorded.target = needs_target(recorded.action) ? target.toStdString() : std::string();
    m_recorded.push_back(recorded);
    statusBar()->showMessage(tr("%1 %2…").arg(action, target.isEmpty() ? tr("node") : target));
    m_bridge->act(action, target);
}

void MainWindow::onTrafficStartRequested(const TrafficSettings& traffic) {
    if (!m_trafficAtStart) {
        // The timeline's clock starts with the first traffic, as in `statelab-cli run`.
        m_trafficAtStart = traffic;
        m_trafficClock.start();
    } else {
        TimelineAction resume;
        resume.at_s = trafficClock();
        resume.action = Action::set;
        resume.users = traffic.users;
        resume.think_ms = traffic.think_ms;
        resume.rate = traffic.rate;
        resume.journey = traffic.journey;
        m_recorded.push_back(resume);
    }
    m_bridge->startTraffic(traffic);
}

void MainWindow::onTrafficChanged(const TrafficSettings& traffic) {
    const TrafficSettings before = m_bridge->traffic();
    TimelineAction set;
    set.at_s = trafficClock();
    set.action = Action::set;
    if (traffic.users != before.users) set.users = traffic.users;
    if (traffic.think_ms != before.think_ms) set.think_ms = traffic.think_ms;
    if (traffic.rate != before.rate) set.rate = traffic.rate;
    if (traffic.journey != before.journey || traffic.browse_share != before.browse_share) set.journey = traffic.journey;
    if (set.users || set.think_ms || set.rate || set.journey) m_recorded.push_back(set);
    m_bridge->setTraffic(traffic);
}

void MainWindow::onTimelineAction(const TimelineAction& action) {
    if (action.action == Action::set) {
        const TrafficSettings traffic = apply_set(m_traffic->settings(), action);
        m_traffic->setSettings(traffic); // the sliders show what the scenario did
        onTrafficChanged(traffic);
        return;
    }
    onActionRequested(QString::fromUtf8(action_name(action.action)), QString::fromStdString(action.target));
}

bool MainWindow::loadScenario(const QString& path, QString* error) {
    ScenarioResult result = load_scenario_file(path.toStdString());
    if (!result) {
        if (error) *error = QString::fromStdString(result.error);
        return false;
    }
    m_scenario = *result.scenario;
    m_cluster->setSettings(*m_scenario);
    m_traffic->setSettings(m_scenario->traffic);
    setWindowTitle(QString::fromStdString(m_scenario->name)); // Qt adds "— StateLab"
    const QStringList beyond = m_traffic->beyondSliders(m_scenario->traffic);
    for (const QString& note : beyond) m_log->addNote(0, note, QColor(0xe67e00));
    statusBar()->showMessage(beyond.isEmpty() ? tr("Loaded “%1”: Scenario ▸ Run scenario plays it.").arg(QString::fromStdString(m_scenario->name))
                                              : beyond.join(QLatin1Char(' ')),
                             beyond.isEmpty() ? 8000 : 15000);
    return true;
}

void MainWindow::runScenario() {
    if (!m_scenario) {
        openScenario();
        if (!m_scenario) return;
    }
    m_cluster->setSettings(*m_scenario);
    m_traffic->setSettings(m_scenario->traffic);
    m_runPending = true;
    onLaunchRequested(*m_scenario);
    // The timeline starts with the traffic (on launched), on the traffic clock.
    connect(m_bridge, &EngineBridge::trafficStarted, this, [this] {
        if (m_scenario) m_runner->start(*m_scenario);
    }, Qt::SingleShotConnection);
}

void MainWindow::openScenario() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open scenario"), exampleScenariosDir(), tr("Scenarios (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    if (!loadScenario(path, &error)) showError(tr("Cannot open the scenario"), error);
}

Scenario MainWindow::currentScenario() const {
    // A scenario's run is that scenario: its duration and at_s as its author set them, not the
    // seconds the window measured while playing it.
    if (m_runIsScenario && m_scenario) return *m_scenario;
    Scenario s = m_scenario.value_or(Scenario{});
    s.name = runName().toStdString();
    const ClusterSettings cluster = m_bridge->isLaunched() ? m_launchedSettings : m_cluster->settings();
    static_cast<ClusterSettings&>(s) = cluster;
    s.traffic = m_trafficAtStart.value_or(m_traffic->settings());
    if (m_trafficAtStart) {
        s.timeline = m_recorded;
        s.duration_s = std::max(1.0, std::ceil(trafficClock()));
    }
    return s;
}

void MainWindow::saveScenario() {
    const Scenario s = currentScenario();
    const QString path = QFileDialog::getSaveFileName(this, tr("Save scenario"), QStringLiteral("scenario.json"),
                                                      tr("Scenarios (*.json)"));
    if (path.isEmpty()) return;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(QByteArray::fromStdString(scenario_to_json(s))) < 0) {
        showError(tr("Cannot save the scenario"), tr("%1: %2").arg(path, file.errorString()));
        return;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
}

} // namespace statelab::gui
