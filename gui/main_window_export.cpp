// MainWindow, what a run leaves behind: exports for slides and reports, kept runs to compare.
#include "main_window.hpp"

#include "charts/chart_view_base.hpp"
#include "cluster_panel.hpp"
#include "compare/compare_window.hpp"
#include "event_log_dock.hpp"
#include "engine_bridge.hpp"
#include "export/export_menu.hpp"
#include "export/figure_files.hpp"
#include "lab_files.hpp"

#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QInputDialog>
#include <QJsonDocument>
#include <QStatusBar>

namespace statelab::gui {

RunExport MainWindow::runExport() const {
    RunExport run;
    const Scenario scenario = currentScenario();
    run.header.title = m_run.name();
    run.header.subtitle = runSubtitle(modeLabel(scenario.mode), scenario.nodes, balancerLabel(scenario), m_run.startedAt());
    const std::string summary = m_bridge->summaryJson(scenario.name);
    run.summary = QJsonDocument::fromJson(QByteArray::fromStdString(summary)).object();
    const auto [from, to] = exportRange();
    for (const ChartViewBase* chart : m_charts) {
        // A chart the run has nothing for (the local cache outside sticky-cached) is left out.
        if (chart->data().seriesInfo().empty()) continue;
        run.charts.push_back({chart->spec(), to > from ? chart->data().cropped(from, to) : chart->data()});
    }
    run.keyFigures = keyFigures(run.summary);
    if (m_run.trafficStarted()) run.scenarioJson = QString::fromStdString(scenario_to_json(scenario));
    return run;
}

void MainWindow::buildExportMenu() {
    m_export = new ExportMenu(this, [this] { return runExport(); },
                              [this](const QString& dir, QString* error) { return exportResults(dir, error); });
    QMenu* menu = m_export->install(m_charts, true);
    menu->addSeparator();
    menu->addAction(tr("&Time range…"), this, &MainWindow::exportRangeDialog);
    menu->addSeparator();
    QAction* config = menu->addAction(tr("Cluster as &configuration…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export the cluster as configuration"));
        if (dir.isEmpty()) return;
        QString error;
        if (!exportClusterConfig(dir, &error)) showError(tr("Cannot export the configuration"), error);
    });
    config->setObjectName(QStringLiteral("exportClusterConfig"));
    config->setToolTip(tr("haproxy.cfg, redis.conf / sentinel.conf, compose.yaml and a README: this cluster in production terms"));
}

bool MainWindow::exportClusterConfig(const QString& dir, QString* error) {
    // The cluster as launched (else as the panel shows it), from the lab's own generators.
    const ClusterSettings cluster = m_bridge->isLaunched() ? m_run.launched() : m_cluster->settings();
    try {
        const auto files = export_cluster_config(cluster, dir.toStdString(), m_run.name().toStdString());
        statusBar()->showMessage(tr("Wrote %n file(s) to %1: haproxy.cfg, compose.yaml, README.txt…", nullptr,
                                    static_cast<int>(files.size()))
                                     .arg(QDir::toNativeSeparators(dir)),
                                 8000);
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
}

double MainWindow::latestChartTime() const {
    double latest = 0;
    for (const ChartViewBase* chart : m_charts) latest = std::max(latest, chart->data().latestTime());
    return latest;
}

std::pair<double, double> MainWindow::exportRange() const {
    const double latest = latestChartTime();
    if (const auto& chosen = m_run.chosenRange()) return {chosen->first, std::min(chosen->second, latest)};
    // Traffic on to traffic off (plus the interval that counts the last answers): the idle
    // minutes before and after are not what the slide is about.
    double on = -1, off = -1;
    for (const ChartViewBase* chart : m_charts) {
        for (const Marker& m : chart->data().markers()) {
            if (m.label == QLatin1String("traffic on") && on < 0) on = m.t_s;
            if (m.label == QLatin1String("traffic off")) off = m.t_s;
        }
        break; // every chart carries the same markers
    }
    if (on < 0) return {0, latest};
    const double end = off > on ? std::min(latest, off + 0.5) : latest;
    return {std::max(0.0, on - 0.25), end};
}

void MainWindow::exportRangeDialog() {
    const auto [from, to] = exportRange();
    const double latest = latestChartTime();
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Time range of exports"));
    auto* fromBox = new QDoubleSpinBox;
    auto* toBox = new QDoubleSpinBox;
    for (QDoubleSpinBox* box : {fromBox, toBox}) {
        box->setRange(0, std::max(1.0, latest));
        box->setDecimals(1);
        box->setSuffix(tr(" s"));
    }
    fromBox->setValue(from);
    toBox->setValue(to);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Reset);
    buttons->button(QDialogButtonBox::Reset)->setText(tr("Traffic on to off"));
    auto* form = new QFormLayout(&dialog);
    form->addRow(new QLabel(tr("Charts, the dashboard, CSV and the report show this part of the run.")));
    form->addRow(tr("From"), fromBox);
    form->addRow(tr("To"), toBox);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::Reset), &QPushButton::clicked, &dialog, [&dialog, this] {
        m_run.setChosenRange(std::nullopt);
        dialog.reject();
    });
    if (dialog.exec() != QDialog::Accepted) return;
    if (toBox->value() > fromBox->value()) m_run.setChosenRange(std::make_pair(fromBox->value(), toBox->value()));
}

bool MainWindow::exportResults(const QString& dir, QString* error) {
    for (ChartViewBase* chart : m_charts) chart->replot(); // what the data says now, not 40 ms ago
    if (!writeWindowPng(*this, dir, error)) return false;
    try {
        m_bridge->writeResults(dir.toStdString(), currentScenario().name);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
    return writeExportFolder(runExport(), dir, error);
}

void MainWindow::keepRun(bool final) {
    if (m_keeper.sealed() || m_tally.requests == 0) return;
    QString error;
    // Not a dialog: this runs on Stop and on close, where a modal box would be in the way.
    if (!m_keeper.keep(m_run.name(), final, &error))
        m_log->addNote(m_tally.elapsed_s, tr("could not keep this run: %1").arg(error), QColor(0xd62728));
}

bool MainWindow::renameKeptRun(const QString& name, const QString& note) {
    if (name.trimmed().isEmpty()) return false;
    m_run.setName(name.trimmed()); // also the name it is kept under, if it is not kept yet
    return m_keeper.rename(name.trimmed(), note);
}

void MainWindow::renameRunDialog() {
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Name this run"), tr("Name (shown in Compare and exports):"),
                                               QLineEdit::Normal, m_run.name(), &ok);
    if (!ok) return;
    const QString note = QInputDialog::getMultiLineText(this, tr("Name this run"), tr("Note (optional):"), {}, &ok);
    if (!ok) return;
    if (!renameKeptRun(name, note)) showError(tr("Cannot name the run"), tr("The kept run's summary.json could not be rewritten."));
    else statusBar()->showMessage(tr("This run is now “%1”").arg(m_run.name()), 5000);
}

void MainWindow::openComparison() {
    keepRun(false); // the run in progress counts, as it is now
    auto* window = new CompareWindow(this);
    window->setWindowFlag(Qt::Window);
    window->applyTheme(m_theme);
    // This session's last two runs, ticked: the comparison most people open this for.
    QString error;
    const QStringList runs = m_keeper.sessionRuns();
    if (!window->showRuns(runs.mid(std::max<qsizetype>(0, runs.size() - 2)), &error))
        statusBar()->showMessage(error, 8000);
    window->show();
}

} // namespace statelab::gui
