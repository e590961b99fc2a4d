#pragma once
// The example scenarios that ship with StateLab, found from the running program's own place:
// <prefix>/bin/statelab -> <prefix>/share/statelab/scenarios when installed (DEB, TGZ), the
// source tree's resources/scenarios when run from a build tree.
#include <QString>
#include <QStringList>

namespace statelab::gui {

// Empty when neither is there.
QString exampleScenariosDir();
// Full paths of the *.json files in it, by name.
QStringList exampleScenarios();

} // namespace statelab::gui
