#pragma once
// Everything an export of a run needs, gathered once from the window (or from saved runs for
// a comparison), and the one function that writes a whole export folder.
#include "export/figure.hpp"

#include <QJsonObject>
#include <QString>

#include <memory>
#include <vector>

namespace statelab::gui {

struct RunExport {
    FigureHeader header;
    std::vector<FigurePanel> charts; // in the window's order
    std::vector<KeyFigure> keyFigures; // the dashboard's last cell
    QJsonObject summary;             // summary.json; empty for a comparison (then no report)
    QString scenarioJson;            // the scenario as it ran; may be empty
};

// "sticky cookie · 3 nodes · 2026-11-23 10:41"
QString runSubtitle(const QString& modeLabel, int nodes, const QString& balancer, const QDateTime& when);
// The numbers a reader looks for first, from summary.json.
std::vector<KeyFigure> keyFigures(const QJsonObject& summary);
// `requests-per-server` from "Requests per server": file names that say what is inside.
QString fileStem(const ChartSpec& spec);

// One chart of the run, titled by the chart with the run as subtitle; every chart with the key
// figures (the dashboard).
// Without `runSubtitle` the header is the chart's title alone (inside a report, which names the run once).
std::unique_ptr<Figure> chartFigure(const RunExport& run, std::size_t index, bool runSubtitle = true);
std::unique_ptr<Figure> dashboardFigure(const RunExport& run);

// Per chart: <stem>.png (1920x1080), .svg, .pdf, .csv; the dashboard as dashboard.png/.svg/.pdf;
// and, for a run (summary not empty), report.html. Stops at the first error and says which file.
bool writeExportFolder(const RunExport& run, const QString& dir, QString* error);

} // namespace statelab::gui
