#pragma once
// The GUI's only door to the engine. Engine -> GUI: the engine's snapshot callback (its own
// thread, every 250 ms) becomes ONE queued snapshotReady signal. GUI -> engine: the calls that
// block (launch, node actions, traffic start/stop, shutdown) run one at a time, in order, on a
// single worker thread and report back with event-named signals; the UI thread never waits.
#include "engine.hpp"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <functional>

Q_DECLARE_METATYPE(statelab::Snapshot)
Q_DECLARE_METATYPE(statelab::TrafficSettings)

namespace statelab::gui {

class EngineBridge : public QObject {
    Q_OBJECT
public:
    explicit EngineBridge(EngineConfig config = {}, QObject* parent = nullptr);
    ~EngineBridge() override; // waits for queued work, then stops every process

    void launch(const ClusterSettings& settings);
    // Drives `scenario`'s target (loopback only from the window) instead of launching a cluster;
    // ends in launched() or launchFailed() as launch() does.
    void attachTarget(const Scenario& scenario);
    void stop();
    void act(const QString& action, const QString& target);
    void startTraffic(const TrafficSettings& traffic);
    // A new run on the cluster that is up (Engine::new_run), in turn with the other commands.
    void newRun();
    void setTraffic(const TrafficSettings& traffic);
    void stopTraffic();
    // The run story (Engine::play): the scenario's traffic now, its timeline played by the
    // engine; trafficStarted, then storyFinished when it reaches its duration.
    void play(const Scenario& scenario, std::vector<double> holdAt = {});
    void proceed() { m_engine.proceed(); } // the engine's own turn-taking: safe on the UI thread
    // Removes the stopped cluster's logs and secrets from the engine's temporary folder.
    void discardRunFiles();
    // Blocking: for closing the window and for --exit-after. Waits for queued work first.
    void shutdownNow();
    void waitForIdle();

    bool isLaunched() const { return m_launched; }
    bool isTrafficRunning() const { return m_trafficRunning; }
    bool isBusy() const { return m_pending.load() > 0; }

    // What the window reads, safe on its thread while the worker runs commands (the engine's
    // reads are; no Engine& leaves the bridge, so no command can run on the UI thread).
    TrafficSettings traffic() const { return m_engine.traffic(); }
    int activeUsers() const { return m_engine.active_users(); }
    bool engineLaunched() const { return m_engine.launched(); }
    StoryStatus story() const { return m_engine.story(); }
    Scenario recorded(Scenario base) const { return m_engine.recorded(std::move(base)); }
    std::string summaryJson(const std::string& scenarioName) const { return m_engine.summary_json(scenarioName); }
    // DIR/summary.json and DIR/timeseries.csv; throws std::runtime_error on I/O errors.
    void writeResults(const std::filesystem::path& dir, const std::string& scenarioName) const {
        m_engine.write_results(dir, scenarioName);
    }
    const std::filesystem::path& runDir() const { return m_engine.run_dir(); }

signals:
    void snapshotReady(const statelab::Snapshot& snapshot);
    void launchProgressed(const QString& step);
    void launched();
    void launchFailed(const QString& message);
    void stopped();
    void actionDone(const QString& action, const QString& target, const QString& affected);
    void actionFailed(const QString& action, const QString& target, const QString& message);
    void trafficStarted(const statelab::TrafficSettings& traffic);
    void trafficStopped();
    void storyFinished(); // a played scenario reached its duration; the engine stopped the traffic

private:
    // Launch or attach on the worker, then launched() or launchFailed() on the GUI thread.
    void bringUp(std::function<void()> start);
    // Runs `work` on the worker; `work` reports back through queued signals only.
    void post(std::function<void()> work);

    Engine m_engine;
    QThreadPool m_worker;
    std::atomic<int> m_pending{0};
    bool m_launched = false;
    bool m_trafficRunning = false;
    bool m_storyFinished = true; // until a play: the snapshots' story status is not ours to report
};

} // namespace statelab::gui
