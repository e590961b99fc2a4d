#include "charts/session_flow_chart.hpp"

#include "node_palette.hpp"

namespace statelab::gui {

SessionFlowChart::SessionFlowChart(QWidget* parent)
    : ChartViewBase({"session-flow", tr("Session hits / misses / lost"), tr("per second"), timeSinceLaunchTitle()}, parent) {}

void SessionFlowChart::collect(ChartData& data, const Snapshot& snapshot) {
    const double per_s = snapshot.interval_s > 0 ? 1.0 / snapshot.interval_s : 4.0;
    const NodeSample& all = snapshot.total;
    data.append(data.series("hits", tr("hits"), SeriesColors::hits()), snapshot.t_s, all.hits * per_s);
    data.append(data.series("misses", tr("misses"), SeriesColors::misses()), snapshot.t_s, all.misses * per_s);
    data.append(data.series("lost", tr("lost sessions"), SeriesColors::lost(), true), snapshot.t_s, all.lost * per_s);
}

} // namespace statelab::gui
