// MainWindow, what a run leaves behind: exports for slides and reports, kept runs to compare.
#include "main_window.hpp"

#include "charts/chart_view_base.hpp"
#include "cluster_panel.hpp"
#include "compare/compare_window.hpp"
#include "compare/run_history.hpp"
#include "event_log_dock.hpp"
#include "engine_bridge.hpp"
#include "export/export_menu.hpp"
#include "export/figure_files.hpp"
#include "scenario/scenario_writer.hpp"

#include <QJsonDocument>
#include <QStatusBar>

namespace statelab::gui {

RunExport MainWindow::runExport() const {
    RunExport run;
    const Scenario scenario = currentScenario();
    const bool byHand = !m_scenario;
    run.header.title = byHand ? tr("StateLab run") : QString::fromStdString(scenario.name);
    run.header.subtitle = runSubtitle(modeLabel(scenario.mode), scenario.nodes,
                                      m_launchedAt.isValid() ? m_launchedAt : QDateTime::currentDateTime());
    for (const ChartViewBase* chart : m_charts) run.charts.push_back({chart->spec(), chart->data()});
    const std::string summary = m_bridge->engine().summary_json(scenario.name);
    run.summary = QJsonDocument::fromJson(QByteArray::fromStdString(summary)).object();
    run.keyFigures = keyFigures(run.summary);
    if (m_trafficAtStart) run.scenarioJson = QString::fromStdString(scenario_to_json(scenario));
    return run;
}

void MainWindow::buildExportMenu() {
    m_export = new ExportMenu(this, [this] { return runExport(); },
                              [this](const QString& dir, QString* error) { return exportResults(dir, error); });
    m_export->install(m_charts, true);
}

bool MainWindow::exportResults(const QString& dir, QString* error) {
    for (ChartViewBase* chart : m_charts) chart->replot(); // what the data says now, not 40 ms ago
    if (!writeWindowPng(*this, dir, error)) return false;
    try {
        m_bridge->engine().write_results(dir.toStdString(), currentScenario().name);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
    return writeExportFolder(runExport(), dir, error);
}

void MainWindow::keepRun() {
    if (m_tally.requests == 0) return;
    const std::string name = currentScenario().name;
    if (m_keptRunDir.isEmpty()) m_keptRunDir = newRunDir(QString::fromStdString(name));
    try {
        m_bridge->engine().write_results(m_keptRunDir.toStdString(), name);
    } catch (const std::exception& e) {
        // Not a dialog: this runs on Stop and on close, where a modal box would be in the way.
        m_log->addNote(m_tally.elapsed_s, tr("could not keep this run: %1").arg(QString::fromUtf8(e.what())), QColor(0xd62728));
        return;
    }
    if (!m_sessionRuns.contains(m_keptRunDir)) m_sessionRuns << m_keptRunDir;
}

void MainWindow::openComparison() {
    keepRun(); // the run in progress counts, as it is now
    auto* window = new CompareWindow(this);
    window->setWindowFlag(Qt::Window);
    window->applyTheme(m_theme);
    // This session's last two runs, ticked: the comparison most people open this for.
    QString error;
    if (!window->showRuns(m_sessionRuns.mid(std::max<qsizetype>(0, m_sessionRuns.size() - 2)), &error))
        statusBar()->showMessage(error, 8000);
    window->show();
}

} // namespace statelab::gui
