#include "example_scenarios.hpp"

#include <QCoreApplication>
#include <QDir>

namespace statelab::gui {

QString exampleScenariosDir() {
    const QDir bin(QCoreApplication::applicationDirPath());
    const QString installed = bin.absoluteFilePath(QStringLiteral("../share/statelab/scenarios"));
    if (QFileInfo(installed).isDir()) return QDir::cleanPath(installed);
#ifdef STATELAB_SOURCE_SCENARIOS
    if (QFileInfo(QStringLiteral(STATELAB_SOURCE_SCENARIOS)).isDir()) return QStringLiteral(STATELAB_SOURCE_SCENARIOS);
#endif
    return {};
}

QStringList exampleScenarios() {
    const QString dir = exampleScenariosDir();
    if (dir.isEmpty()) return {};
    QStringList out;
    for (const QString& name : QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        out << QDir(dir).filePath(name);
    return out;
}

} // namespace statelab::gui
