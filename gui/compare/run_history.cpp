#include "compare/run_history.hpp"

#include "file_slug.hpp"

#include <QDateTime>
#include <QDir>
#include <QStandardPaths>

namespace statelab::gui {

QString runsRoot() {
    const QString fromEnv = qEnvironmentVariable("STATELAB_RUNS_DIR");
    if (!fromEnv.isEmpty()) return fromEnv;
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath(QStringLiteral("runs"));
}

QString newRunDir(const QString& scenarioName) {
    const QString slug = fileSlug(scenarioName, 40);
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString dir = QDir(runsRoot()).filePath(slug.isEmpty() ? stamp : stamp + QLatin1Char('-') + slug);
    for (int n = 2; QFileInfo::exists(dir); ++n) dir = dir.section(QLatin1Char('~'), 0, 0) + QStringLiteral("~%1").arg(n);
    return dir;
}

QStringList keptRuns() {
    QStringList out;
    const QDir root(runsRoot());
    // Names start with the date and time: reverse name order is newest first.
    for (const QString& name : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::Reversed))
        if (QFileInfo::exists(root.filePath(name + QStringLiteral("/summary.json")))) out << root.filePath(name);
    return out;
}

} // namespace statelab::gui
