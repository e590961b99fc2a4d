#include "charts/requests_chart.hpp"

#include "node_palette.hpp"

namespace statelab::gui {

RequestsChart::RequestsChart(QWidget* parent) : ChartViewBase({"requests", tr("Requests per server"), tr("requests / s"), timeSinceLaunchTitle()}, parent) {}

void RequestsChart::collect(ChartData& data, const Snapshot& snapshot) {
    const double per_s = snapshot.interval_s > 0 ? 1.0 / snapshot.interval_s : 4.0;
    for (const NodeSample& node : snapshot.nodes) {
        const QString name = QString::fromStdString(node.name);
        data.append(data.series(name, name, nodeColor(name)), snapshot.t_s, node.requests * per_s);
    }
}

} // namespace statelab::gui
