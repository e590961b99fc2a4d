#include "charts/latency_chart.hpp"

#include "node_palette.hpp"

#include <cmath>

namespace statelab::gui {

LatencyChart::LatencyChart(QWidget* parent) : ChartViewBase({"latency", tr("Latency, all nodes"), tr("latency (ms)"), timeSinceLaunchTitle(), 1}, parent) {}

void LatencyChart::collect(ChartData& data, const Snapshot& snapshot) {
    const NodeSample& all = snapshot.total;
    const int p50 = data.series("p50", tr("p50"), SeriesColors::latency(0));
    const int p95 = data.series("p95", tr("p95"), SeriesColors::latency(1));
    const int p99 = data.series("p99", tr("p99"), SeriesColors::latency(2));
    if (snapshot.total.requests == 0) {
        // No answers, no latency: drawing 0 would look like a fast system, and joining the
        // points either side would draw across an outage. A gap (NaN) breaks the line there.
        if (data.pointCount(p50) > 0 && !std::isnan(data.points(p50).back().y()))
            for (int s : {p50, p95, p99}) data.append(s, snapshot.t_s, std::nan(""));
        return;
    }
    data.append(p50, snapshot.t_s, all.p50_ms);
    data.append(p95, snapshot.t_s, all.p95_ms);
    data.append(p99, snapshot.t_s, all.p99_ms);
}

} // namespace statelab::gui
