#pragma once
// The lab window: controls on the left (cluster, traffic, event log), the cluster's processes
// as tiles on top, live charts below, totals in the status bar. It wires parts together and
// keeps the run's story (what was launched, what was done when) for Save and export.
#include "engine.hpp"
#include "run_tally.hpp"
#include "theme.hpp"

#include <QElapsedTimer>
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
class NodeGrid;
class ScenarioRunner;
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
    // window.png (the whole window) + summary.json + timeseries.csv into `dir`.
    bool exportResults(const QString& dir, QString* error);
    void setTheme(bool dark);

    EngineBridge* bridge() const { return m_bridge; }
    ClusterPanel* clusterPanel() const { return m_cluster; }
    TrafficPanel* trafficPanel() const { return m_traffic; }
    NodeGrid* nodeGrid() const { return m_grid; }
    EventLogDock* eventLog() const { return m_log; }
    const std::vector<ChartViewBase*>& charts() const { return m_charts; }
    const RunTally& tally() const { return m_tally; }
    QString statusText() const; // what the status bar shows, for tests

signals:
    void nodeKilled(const QString& name); // a kill was carried out (user or timeline)

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    QWidget* buildCentral();
    void connectParts();

    void onLaunchRequested(const ClusterSettings& settings);
    void onSnapshot(const Snapshot& snapshot);
    void onActionRequested(const QString& action, const QString& target);
    void onTrafficStartRequested(const TrafficSettings& traffic);
    void onTrafficChanged(const TrafficSettings& traffic);
    void onTimelineAction(const TimelineAction& action);
    void refreshStatus();
    void showError(const QString& title, const QString& message);

    void openScenario();
    void saveScenario();
    double trafficClock() const; // seconds since traffic started (the timeline's clock)

    EngineBridge* m_bridge;
    ClusterPanel* m_cluster;
    TrafficPanel* m_traffic;
    NodeGrid* m_grid;
    EventLogDock* m_log;
    SummaryCard* m_summary;
    ScenarioRunner* m_runner;
    QComboBox* m_window;
    std::vector<ChartViewBase*> m_charts;
    QLabel* m_requestsLabel;
    QLabel* m_lostLabel;
    QLabel* m_failuresLabel;
    QLabel* m_elapsedLabel;

    RunTally m_tally;
    Theme m_theme;
    std::optional<Scenario> m_scenario;        // loaded from a file
    bool m_runPending = false;                 // run m_scenario's traffic once launched
    ClusterSettings m_launchedSettings;
    std::optional<TrafficSettings> m_trafficAtStart;
    QElapsedTimer m_trafficClock;
    std::vector<TimelineAction> m_recorded;    // for Save: what was done, at_s since traffic start
};

} // namespace statelab::gui
