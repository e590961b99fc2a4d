#include "charts/lost_sessions_chart.hpp"

#include "node_palette.hpp"

#include <algorithm>

namespace statelab::gui {

LostSessionsChart::LostSessionsChart(QWidget* parent)
    : ChartViewBase({"lost-so-far", tr("Lost sessions so far"), tr("sessions (total)"), timeSinceLaunchTitle()}, parent) {}

void LostSessionsChart::collect(ChartData& data, const Snapshot& snapshot) {
    // Running totals: the last point of each series is what the run has lost up to now.
    // Misses first, so the lost line is drawn over it where the two are the same.
    const int misses = data.series("misses", tr("session misses (401)"), SeriesColors::misses());
    const int lost = data.series("lost", tr("lost sessions"), SeriesColors::lost(), true);
    auto last = [&data](int series) { return data.pointCount(series) ? data.points(series).back().y() : 0.0; };
    data.append(misses, snapshot.t_s, last(misses) + static_cast<double>(snapshot.total.misses));
    data.append(lost, snapshot.t_s, last(lost) + static_cast<double>(snapshot.total.lost));
    // Moved by a re-hash (their node stayed up): drawn once there are any, so the legend of a
    // run without them stays short.
    const auto& info = data.seriesInfo();
    const bool drawn = std::any_of(info.begin(), info.end(), [](const auto& s) { return s.key == QLatin1String("moved"); });
    if (snapshot.total.moved > 0 || drawn) {
        const int moved = data.series("moved", tr("moved away"), SeriesColors::moved());
        data.append(moved, snapshot.t_s, last(moved) + static_cast<double>(snapshot.total.moved));
    }
}

} // namespace statelab::gui
