#pragma once
// Keeps the window's runs on disk for Compare runs: each run in a folder of its own under
// runsRoot(), rewritten while the run goes on and sealed once it has stopped, and the list of
// runs kept since the window opened.
#include <QString>
#include <QStringList>

namespace statelab::gui {

class EngineBridge;

class RunKeeper {
public:
    explicit RunKeeper(const EngineBridge& bridge) : m_bridge(bridge) {}

    // Writes the run so far under `name` into its folder. `final`: the run has stopped (Stop,
    // the scenario's end, close, relaunch): written one last time with the processes' logs,
    // never again. False with the reason.
    bool keep(const QString& name, bool final, QString* error);
    bool sealed() const { return m_sealed; }
    void nextRun(); // the next run gets a folder of its own

    QString dir() const { return m_dir; } // this run's folder once kept
    QStringList sessionRuns() const { return m_sessionRuns; }
    // Names the kept run in its summary.json (the legend in Compare) with an optional note;
    // true with nothing written while no run is kept yet.
    bool rename(const QString& name, const QString& note);

private:
    void keepLogs();

    const EngineBridge& m_bridge;
    QString m_dir;
    bool m_sealed = false;
    QStringList m_sessionRuns;
};

} // namespace statelab::gui
