// MainWindow, the run's story: user and timeline actions, scenario open/save/run, export.
#include "main_window.hpp"

#include "charts/chart_view_base.hpp"
#include "cluster_panel.hpp"
#include "engine_bridge.hpp"
#include "example_scenarios.hpp"
#include "lab_files.hpp"
#include "lessons_dock.hpp"
#include "event_log_dock.hpp"
#include "traffic_panel.hpp"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QStatusBar>

namespace statelab::gui {

// What the user does goes to the engine, which records it on the run clock (Engine::recorded).
void MainWindow::onActionRequested(const QString& action, const QString& target) {
    statusBar()->showMessage(tr("%1 %2…").arg(action, target.isEmpty() ? tr("node") : target));
    m_bridge->act(action, target);
}

void MainWindow::onTrafficStartRequested(const TrafficSettings& traffic) {
    // Traffic after a kept run (a scenario or lesson that ended, its cluster still up) is a new
    // run: its own charts, log and card, kept when it stops. It was once drawn onto the finished
    // run's charts and never kept.
    if (m_keeper.sealed() && m_bridge->isLaunched()) {
        if (m_lesson.end()) m_lessons->lessonStopped(); // a finished lesson keeps its verdict on show
        m_run.beginOnSameCluster();
        resetRunView(m_run.launched().mode);
        m_bridge->newRun();
        statusBar()->showMessage(tr("A new run on the same cluster: the one before is kept."), 6000);
    }
    m_bridge->startTraffic(traffic);
}
void MainWindow::onTrafficChanged(const TrafficSettings& traffic) { m_bridge->setTraffic(traffic); }

bool MainWindow::loadScenario(const QString& path, QString* error) {
    if (!m_scenario.load(path, error)) return false;
    const Scenario& scenario = *m_scenario.loaded();
    m_cluster->setSettings(scenario);
    m_traffic->setSettings(scenario.traffic);
    setWindowTitle(QString::fromStdString(scenario.name)); // Qt adds "— StateLab"
    const QStringList beyond = m_traffic->beyondSliders(scenario.traffic);
    for (const QString& note : beyond) m_log->addNote(0, note, QColor(0xe67e00));
    const QString name = QString::fromStdString(scenario.name);
    const QString loaded = scenario.target
                               ? tr("Loaded “%1”: it drives your system at %2 (nothing is launched); Scenario ▸ Run scenario plays it.")
                                     .arg(name, QString::fromStdString(scenario.target->url))
                               : tr("Loaded “%1”: Scenario ▸ Run scenario plays it.").arg(name);
    statusBar()->showMessage(beyond.isEmpty() ? loaded
                                              : beyond.join(QLatin1Char(' ')),
                             beyond.isEmpty() ? 8000 : 15000);
    return true;
}

void MainWindow::runScenario() {
    if (!m_scenario.loaded()) {
        openScenario();
        if (!m_scenario.loaded()) return;
    }
    // Shell commands run only once the user has read them and said Run (approved() plays it then).
    if (!m_scenario.commandsApproved(this)) return;
    m_cluster->setSettings(*m_scenario.loaded());
    m_traffic->setSettings(m_scenario.loaded()->traffic);
    m_scenario.setRunPending(true);
    onLaunchRequested(*m_scenario.loaded()); // once launched, the engine plays it (EngineBridge::play)
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
    if (m_run.playsScenario() && m_scenario.loaded()) return *m_scenario.loaded();
    Scenario s = m_scenario.scenario().value_or(Scenario{});
    s.name = m_run.name().toStdString();
    const ClusterSettings cluster = m_bridge->isLaunched() ? m_run.launched() : m_cluster->settings();
    static_cast<ClusterSettings&>(s) = cluster;
    s.traffic = m_traffic->settings();
    return m_run.trafficStarted() ? m_bridge->recorded(s) : s; // what was done, on the run clock
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
