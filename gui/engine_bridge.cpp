#include "engine_bridge.hpp"

#include "target_address.hpp"

#include <QMetaObject>

namespace statelab::gui {

namespace {
// Queued back to the bridge's (the GUI) thread; dropped if the bridge is gone by then.
template <typename F> void onGuiThread(QObject* bridge, F&& f) {
    QMetaObject::invokeMethod(bridge, std::forward<F>(f), Qt::QueuedConnection);
}
} // namespace

EngineBridge::EngineBridge(EngineConfig config, QObject* parent) : QObject(parent), m_engine(std::move(config)) {
    qRegisterMetaType<statelab::Snapshot>("statelab::Snapshot");
    qRegisterMetaType<statelab::TrafficSettings>("statelab::TrafficSettings");
    m_worker.setMaxThreadCount(1); // one at a time, in the order the user asked
    m_worker.setExpiryTimeout(-1);
    // Called on the engine's snapshot thread: the receivers live on the GUI thread, so this one
    // emit is delivered queued, once per snapshot.
    m_engine.set_snapshot_handler([this](const Snapshot& snapshot) { emit snapshotReady(snapshot); });
    connect(this, &EngineBridge::snapshotReady, this, [this](const Snapshot& snapshot) {
        if (m_storyFinished || !snapshot.story.finished) return;
        m_storyFinished = true;
        m_trafficRunning = false;
        emit trafficStopped();
        emit storyFinished();
    });
}

EngineBridge::~EngineBridge() { shutdownNow(); }

void EngineBridge::post(std::function<void()> work) {
    ++m_pending;
    m_worker.start([this, work = std::move(work)] {
        work();
        --m_pending;
    });
}

void EngineBridge::waitForIdle() { m_worker.waitForDone(); }

void EngineBridge::launch(const ClusterSettings& settings) {
    bringUp([this, settings] {
        m_engine.launch(settings, [this](const std::string& step) {
            onGuiThread(this, [this, text = QString::fromStdString(step)] { emit launchProgressed(text); });
        });
    });
}

void EngineBridge::attachTarget(const Scenario& scenario) {
    bringUp([this, scenario] { m_engine.attach_target(scenario, resolve_target(*scenario.target, false)); });
}

void EngineBridge::bringUp(std::function<void()> start) {
    m_storyFinished = true; // a new run: the last one's story is over
    post([this, start = std::move(start)] {
        try {
            start();
            onGuiThread(this, [this] {
                m_launched = true;
                m_trafficRunning = false;
                emit launched();
            });
        } catch (const std::exception& e) {
            m_engine.shutdown(); // the engine already stopped what it started; this makes it certain
            onGuiThread(this, [this, message = QString::fromUtf8(e.what())] {
                m_launched = false;
                emit launchFailed(message);
            });
        }
    });
}

void EngineBridge::stop() {
    post([this] {
        m_engine.shutdown();
        onGuiThread(this, [this] {
            m_launched = false;
            m_trafficRunning = false;
            emit stopped();
        });
    });
}

void EngineBridge::act(const QString& action, const QString& target) {
    post([this, action, target] {
        try {
            const auto known = parse_action(action.toStdString());
            if (!known) throw ClusterError("unknown action '" + action.toStdString() + "'");
            const std::string affected = m_engine.act(*known, target.toStdString());
            onGuiThread(this, [=, this] { emit actionDone(action, target, QString::fromStdString(affected)); });
        } catch (const std::exception& e) {
            onGuiThread(this, [=, this, message = QString::fromUtf8(e.what())] { emit actionFailed(action, target, message); });
        }
    });
}

void EngineBridge::newRun() {
    post([this] {
        try {
            m_engine.new_run();
        } catch (const std::exception& e) {
            onGuiThread(this, [this, message = QString::fromUtf8(e.what())] {
                emit actionFailed(QStringLiteral("new run"), QStringLiteral("cluster"), message);
            });
        }
    });
}

void EngineBridge::startTraffic(const TrafficSettings& traffic) {
    post([this, traffic] {
        try {
            m_engine.start_traffic(traffic);
            onGuiThread(this, [this, traffic] {
                m_trafficRunning = true;
                emit trafficStarted(traffic);
            });
        } catch (const std::exception& e) {
            onGuiThread(this, [this, message = QString::fromUtf8(e.what())] {
                emit actionFailed(QStringLiteral("start"), QStringLiteral("traffic"), message);
            });
        }
    });
}

void EngineBridge::play(const Scenario& scenario, std::vector<double> holdAt) {
    m_storyFinished = false;
    post([this, scenario, holdAt = std::move(holdAt)] {
        try {
            m_engine.play(scenario, holdAt);
            onGuiThread(this, [this, traffic = scenario.traffic] {
                m_trafficRunning = true;
                emit trafficStarted(traffic);
            });
        } catch (const std::exception& e) {
            onGuiThread(this, [this, message = QString::fromUtf8(e.what())] {
                m_storyFinished = true;
                emit actionFailed(QStringLiteral("play"), QStringLiteral("scenario"), message);
            });
        }
    });
}

void EngineBridge::setTraffic(const TrafficSettings& traffic) {
    post([this, traffic] { m_engine.set_traffic(traffic); });
}

void EngineBridge::stopTraffic() {
    post([this] {
        m_engine.stop_traffic();
        onGuiThread(this, [this] {
            m_trafficRunning = false;
            emit trafficStopped();
        });
    });
}

void EngineBridge::discardRunFiles() {
    post([this] { m_engine.discard_run_files(); });
}

void EngineBridge::shutdownNow() {
    m_worker.waitForDone();
    m_engine.shutdown();
    m_launched = false;
    m_trafficRunning = false;
}

} // namespace statelab::gui
