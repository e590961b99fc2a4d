#include "charts/local_cache_chart.hpp"

#include "node_palette.hpp"

namespace statelab::gui {

LocalCacheChart::LocalCacheChart(QWidget* parent)
    : ChartViewBase({"local-cache", tr("Local cache hits per server"), tr("% of session reads"), timeSinceLaunchTitle()}, parent) {}

void LocalCacheChart::collect(ChartData& data, const Snapshot& snapshot) {
    for (const NodeSample& node : snapshot.nodes) {
        if (node.cache_hit_ratio < 0) continue; // other modes, or no reads since the last poll
        const QString name = QString::fromStdString(node.name);
        data.append(data.series(name, name, nodeColor(name)), snapshot.t_s, node.cache_hit_ratio * 100.0);
    }
}

} // namespace statelab::gui
