#pragma once
// Where the window keeps the runs it ran, so a session's runs can be compared (and none is
// lost when the window closes): one folder per run, as statelab-cli writes them.
#include <QString>
#include <QStringList>

namespace statelab::gui {

// $STATELAB_RUNS_DIR, else ~/.local/share/statelab/runs (the platform's app data folder).
QString runsRoot();
// A new folder name for a run: runs/20261123-104102-sticky-kill-node-2 (not created).
QString newRunDir(const QString& scenarioName);
// Run folders under runsRoot(), newest first.
QStringList keptRuns();

} // namespace statelab::gui
