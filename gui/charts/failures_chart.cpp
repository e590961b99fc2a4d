#include "charts/failures_chart.hpp"

#include "node_palette.hpp"

#include <algorithm>
#include <tuple>

namespace statelab::gui {

FailuresChart::FailuresChart(QWidget* parent) : ChartViewBase({"failures", tr("Failures by kind"), tr("failures / s"), timeSinceLaunchTitle()}, parent) {}

void FailuresChart::collect(ChartData& data, const Snapshot& snapshot) {
    const double per_s = snapshot.interval_s > 0 ? 1.0 / snapshot.interval_s : 4.0;
    const FailureCounts& f = snapshot.failures;
    // Keys as in summary.json; labels short enough for a legend on a narrow chart.
    const std::tuple<const char*, const char*, std::uint64_t> kinds[] = {{"connect", "connect", f.connect},
                                                                         {"reset", "reset", f.reset},
                                                                         {"timeout", "timeout", f.timeout},
                                                                         {"http_4xx", "4xx", f.http_4xx},
                                                                         {"http_5xx", "5xx", f.http_5xx},
                                                                         {"too_large", "413", f.too_large}};
    int kind = 0;
    for (const auto& [key, label, count] : kinds)
        data.append(data.series(QString::fromLatin1(key), QString::fromLatin1(label), SeriesColors::failure(kind++)),
                    snapshot.t_s, count * per_s);
    // Steps refused before sending (a captured value with a line break): a line once there are any.
    const bool seen = std::any_of(data.seriesInfo().begin(), data.seriesInfo().end(),
                                  [](const SeriesInfo& s) { return s.key == QLatin1String("bad_capture"); });
    if (seen || f.bad_capture > 0)
        data.append(data.series(QStringLiteral("bad_capture"), QStringLiteral("bad capture"), SeriesColors::failure(6)),
                    snapshot.t_s, static_cast<double>(f.bad_capture) * per_s);
}

} // namespace statelab::gui
