#include "charts/latency_chart.hpp"

#include "node_palette.hpp"

namespace statelab::gui {

LatencyChart::LatencyChart(QWidget* parent) : ChartViewBase({"latency", tr("Latency, all nodes"), tr("latency (ms)"), timeSinceLaunchTitle(), 1}, parent) {}

void LatencyChart::collect(ChartData& data, const Snapshot& snapshot) {
    // An interval without answers has no latency; drawing 0 there would look like a fast system.
    if (snapshot.total.requests == 0) return;
    const NodeSample& all = snapshot.total;
    data.append(data.series("p50", tr("p50"), SeriesColors::latency(0)), snapshot.t_s, all.p50_ms);
    data.append(data.series("p95", tr("p95"), SeriesColors::latency(1)), snapshot.t_s, all.p95_ms);
    data.append(data.series("p99", tr("p99"), SeriesColors::latency(2)), snapshot.t_s, all.p99_ms);
}

} // namespace statelab::gui
