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
    // Drawn once there are any, so the legend of a run without them stays short: moved by a
    // re-hash (their node stayed up); items applied twice (a retry without a key); sessions
    // expired after their users idled past the TTL (not lost).
    const auto& info = data.seriesInfo();
    auto runningTotal = [&](const char* key, const QString& name, const QColor& color, std::uint64_t now) {
        const bool drawn = std::any_of(info.begin(), info.end(), [&](const auto& s) { return s.key == QLatin1String(key); });
        if (now == 0 && !drawn) return;
        const int series = data.series(QLatin1String(key), name, color);
        data.append(series, snapshot.t_s, last(series) + static_cast<double>(now));
    };
    runningTotal("moved", tr("moved away"), SeriesColors::moved(), snapshot.total.moved);
    runningTotal("duplicates", tr("applied twice"), SeriesColors::duplicates(), snapshot.total.duplicates);
    runningTotal("expired", tr("expired (idle)"), SeriesColors::expired(), snapshot.total.expired);
    runningTotal("leaked", tr("leaked to others"), SeriesColors::leaked(), snapshot.total.leaked);
    runningTotal("stale", tr("stale reads"), SeriesColors::stale(), snapshot.total.stale);
}

} // namespace statelab::gui
