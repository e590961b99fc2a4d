#include "run_keeper.hpp"

#include "compare/run_history.hpp"
#include "engine_bridge.hpp"

#include <QDir>
#include <QFile>

#include <nlohmann/json.hpp>

namespace statelab::gui {

bool RunKeeper::keep(const QString& name, bool final, QString* error) {
    if (m_dir.isEmpty()) m_dir = newRunDir(name);
    try {
        m_bridge.writeResults(m_dir.toStdString(), name.toStdString());
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
    m_sealed = final;
    if (final) keepLogs();
    if (!m_sessionRuns.contains(m_dir)) m_sessionRuns << m_dir;
    return true;
}

void RunKeeper::nextRun() {
    m_dir.clear();
    m_sealed = false;
}

// The processes' logs (and a generated haproxy.cfg) go with a kept run; the Redis password and
// the token secret do not: the engine's temporary folder is emptied when the cluster stops.
void RunKeeper::keepLogs() {
    const QDir from(QString::fromStdString(m_bridge.runDir().string()));
    const QDir to(m_dir);
    const QStringList files = from.entryList({QStringLiteral("*.log"), QStringLiteral("haproxy.cfg")}, QDir::Files);
    if (files.isEmpty() || !to.mkpath(QStringLiteral("logs"))) return;
    for (const QString& name : files) {
        const QString target = to.filePath(QStringLiteral("logs/") + name);
        QFile::remove(target);
        QFile::copy(from.filePath(name), target);
    }
}

bool RunKeeper::rename(const QString& name, const QString& note) {
    if (m_dir.isEmpty()) return true;
    const QString path = QDir(m_dir).filePath(QStringLiteral("summary.json"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return false;
    auto summary = nlohmann::ordered_json::parse(file.readAll().toStdString(), nullptr, false);
    file.close();
    if (summary.is_discarded() || !summary.is_object()) return false;
    summary["scenario"] = name.toStdString();
    if (!note.trimmed().isEmpty()) summary["note"] = note.trimmed().toStdString();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    return file.write(QByteArray::fromStdString(summary.dump(2) + "\n")) > 0;
}

} // namespace statelab::gui
