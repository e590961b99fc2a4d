#pragma once
// The lab window: controls on the left (cluster, traffic, event log), the cluster's processes
// as tiles on top, live charts below, totals in the status bar. It wires parts together and
// keeps the run's story (what was launched, what was done when) for Save and export.
#include "engine.hpp"
#include "export/run_export.hpp"
#include "lesson/lesson.hpp"
#include "lesson_session.hpp"
#include "presentation.hpp"
#include "run_tally.hpp"
#include "scenario_slot.hpp"
#include "theme.hpp"

#include <QDateTime>
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
    QString keptRunDir() const { return m_keptRunDir; } // this run's folder once kept
    QStringList sessionRuns() const { return m_sessionRuns; } // every run kept since the window opened
    // Names the kept run (the legend in Compare) and adds a note; false if no run was kept yet.
    bool renameKeptRun(const QString& name, const QString& note);
    bool presentationMode() const { return m_presentation.on(); }
    // The part of the run exports show (seconds on the run clock): what the user chose in
    // Export ▸ Time range, else from traffic on to traffic off.
    std::pair<double, double> exportRange() const;
    void setExportRange(std::optional<std::pair<double, double>> range) { m_exportRange = range; }

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
    // Writes the run so far into its folder under runsRoot() (for Compare runs); a run without
    // traffic is not kept. `final`: the run has stopped (Stop, the scenario's end, close,
    // relaunch): its name, scenario and figures are written one last time and never again.
    void keepRun(bool final);
    QString runName() const; // the scenario's name, or what a hand-driven run was
    void keepLogs();
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
    ScenarioSlot m_scenario;
    bool m_launchPending = false;              // a launch is on its way (asked, not yet up or failed)
    ClusterSettings m_launchedSettings;
    QDateTime m_launchedAt;
    QString m_keptRunDir;     // this run's folder once kept
    bool m_runSealed = false; // kept for good: nothing rewrites it
    bool m_runIsScenario = false;  // launched by Run scenario (else driven by hand)
    int m_sealCountdown = 0;       // the scenario's traffic ended: keep once its last answers are in
    std::size_t m_storyDone = 0;   // timeline actions the engine has carried out (snapshot.story)
    QString m_customRunName;  // what the user named this run (Runs ▸ Name this run)
    std::optional<std::pair<double, double>> m_exportRange; // chosen by the user for this run
    QStringList m_sessionRuns; // every run kept since the window opened
    LessonSession m_lesson;
    bool m_trafficStarted = false; // this run's traffic started (what was done is the engine's recording)
    Presentation m_presentation;
};

} // namespace statelab::gui
