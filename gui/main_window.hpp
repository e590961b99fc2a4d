#pragma once
// The lab window: controls on the left (cluster, traffic, event log), the cluster's processes
// as tiles on top, live charts below, totals in the status bar. It wires parts together: the
// run on screen (CurrentRun) and where it is kept (RunKeeper), the scenario (ScenarioSlot), the
// lesson (LessonSession) and presentation mode (Presentation) each keep their own facts.
#include "current_run.hpp"
#include "engine.hpp"
#include "export/run_export.hpp"
#include "lesson_session.hpp"
#include "model/lesson.hpp"
#include "presentation.hpp"
#include "run_keeper.hpp"
#include "run_tally.hpp"
#include "scenario_slot.hpp"
#include "theme.hpp"

#include <QMainWindow>

#include <optional>
#include <vector>

class QComboBox;
class QLabel;

namespace statelab::gui {

class ChartViewBase;
class ClusterPanel;
class EngineBridge;
class EventLogDock;
class LessonsDock;
class ExportMenu;
class NodeGrid;
class SummaryCard;
class TrafficPanel;

struct MainWindowOptions {
    QString binDir; // where statelab-backend & co. are; empty: $STATELAB_BIN_DIR, else next to us
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const MainWindowOptions& options = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads a scenario into the panels; on error returns false with the one-line message.
    bool loadScenario(const QString& path, QString* error);
    // Launches the loaded scenario's cluster, starts its traffic and plays its timeline.
    void runScenario();
    // Into `dir`: window.png (the whole window), summary.json, timeseries.csv, each chart as
    // PNG/SVG/PDF/CSV, the dashboard and report.html.
    bool exportResults(const QString& dir, QString* error);
    // Export ▸ Cluster as configuration…: the cluster (as launched, else as set in the panel)
    // as haproxy.cfg, Redis/Sentinel conf, compose.yaml and README.txt in `dir`.
    bool exportClusterConfig(const QString& dir, QString* error);
    // The run so far, as exports see it.
    RunExport runExport() const;
    void setTheme(bool dark);

    EngineBridge* bridge() const { return m_bridge; }
    ClusterPanel* clusterPanel() const { return m_cluster; }
    TrafficPanel* trafficPanel() const { return m_traffic; }
    NodeGrid* nodeGrid() const { return m_grid; }
    EventLogDock* eventLog() const { return m_log; }
    LessonsDock* lessonsDock() const { return m_lessons; }
    // Launches the lesson's cluster; the engine plays it, holding where it waits for Next.
    void startLesson(const Lesson& lesson);
    bool startLessonNamed(const QString& name, QString* error); // --lesson NAME
    // The finished lesson for slides, into `dir`: the charts it watched (PNG + SVG) and
    // lesson.txt (its title and one-paragraph result).
    bool exportLessonForSlides(const QString& dir, QString* error);
    const std::vector<ChartViewBase*>& charts() const { return m_charts; }
    const RunTally& tally() const { return m_tally; }
    QString statusText() const; // what the status bar shows, for tests
    QString headlineText() const; // presentation mode's headline ("28 sessions lost · 41,210 requests")
    SummaryCard* summaryCard() const { return m_summary; }
    QString keptRunDir() const { return m_keeper.dir(); } // this run's folder once kept
    QStringList sessionRuns() const { return m_keeper.sessionRuns(); } // every run kept since the window opened
    // Names the kept run (the legend in Compare) and adds a note; false if no run was kept yet.
    bool renameKeptRun(const QString& name, const QString& note);
    bool presentationMode() const { return m_presentation.on(); }
    // The part of the run exports show (seconds on the run clock): what the user chose in
    // Export ▸ Time range, else from traffic on to traffic off.
    std::pair<double, double> exportRange() const;
    void setExportRange(std::optional<std::pair<double, double>> range) { m_run.setChosenRange(range); }

signals:
    void nodeKilled(const QString& name); // a kill was carried out (user or timeline)

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildLabMenu(); // Launch F5, Stop Shift+F5, traffic F6, presentation mode F11
    void buildExportMenu();
    void buildLessons(); // the Lessons dock and menu
    void highlightChart(const QString& key);
    void finishLesson(); // the lesson's run is kept: its prediction against the measured figures
    void setPresentationMode(bool on);
    QWidget* buildCentral();
    void connectParts();

    void onLaunchRequested(const ClusterSettings& settings);
    void onSnapshot(const Snapshot& snapshot);
    void onActionRequested(const QString& action, const QString& target);
    void onTrafficStartRequested(const TrafficSettings& traffic);
    // A run's charts, log, card and figures from zero (a launch, or traffic after a kept run).
    void resetRunView(Mode mode);
    void onTrafficChanged(const TrafficSettings& traffic);
    void refreshStatus();
    void explainRestart(const Event& event);
    void showError(const QString& title, const QString& message);

    void openScenario();
    void saveScenario();
    // Keeps the run so far for Compare runs (RunKeeper::keep); a run without traffic is not kept.
    void keepRun(bool final);
    void renameRunDialog();
    void exportRangeDialog();
    double latestChartTime() const; // the last point any chart holds (run clock)
    void openComparison();
    Scenario currentScenario() const; // as launched, with the timeline of what was done

    EngineBridge* m_bridge;
    ClusterPanel* m_cluster;
    TrafficPanel* m_traffic;
    NodeGrid* m_grid;
    EventLogDock* m_log;
    LessonsDock* m_lessons = nullptr;
    SummaryCard* m_summary;
    ExportMenu* m_export = nullptr;
    QComboBox* m_window;
    std::vector<ChartViewBase*> m_charts;
    QLabel* m_requestsLabel;
    QLabel* m_lostLabel;
    QLabel* m_failuresLabel;
    QLabel* m_elapsedLabel;

    RunTally m_tally;
    Theme m_theme;
    bool m_launchPending = false; // a launch is on its way (asked, not yet up or failed)
    ScenarioSlot m_scenario;
    CurrentRun m_run;
    RunKeeper m_keeper;
    LessonSession m_lesson;
    Presentation m_presentation;
};

} // namespace statelab::gui
