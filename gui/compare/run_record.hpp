#pragma once
// A finished run read back from its folder (summary.json + timeseries.csv, as statelab-cli and
// the window write them), so runs made anywhere can be laid over each other.
#include "model/event.hpp"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace statelab::gui {

struct RunRecord {
    QString dir;
    QString label;        // legend text: the scenario's name, unique among compared runs
    QString scenario;
    QString mode;         // as in summary.json: sticky, shared-store...
    QJsonObject summary;
    double trafficStart_s = 0; // runs are aligned where their traffic started
    double interval_s = 0.25;
    struct Row {
        double t_s = 0; // since the traffic started
        double requests = 0, errors = 0, hits = 0, misses = 0, lost = 0, p50_ms = 0, p99_ms = 0;
        double moved = 0, duplicates = 0, expired = 0, leaked = 0, stale = 0; // 0 in runs kept before the columns existed
    };
    std::vector<Row> rows;     // the all-nodes ("*") rows
    std::vector<Event> events; // t_s since the traffic started
};

// Reads DIR/summary.json and DIR/timeseries.csv; on failure says which file and why.
std::optional<RunRecord> loadRun(const QString& dir, QString* error);
// Gives runs with the same scenario name a distinct label: " · 14:27:42", when they ran.
void makeLabelsUnique(std::vector<RunRecord>& runs);
// What tells labels apart once the words they all start with are dropped
// ("sticky: kill · 14:27:42", "sticky: kill · 14:28:34" -> "14:27:42", "14:28:34"); empty where nothing is shared.
QStringList distinctParts(const QStringList& labels);
// When the run in DIR was kept ("7 Dec 14:27:42"), read from its folder's name; else that name.
QString whenKept(const QString& dir);
// ... the time of day alone ("14:27:42"), short enough for a legend.
QString timeKept(const QString& dir);

} // namespace statelab::gui
