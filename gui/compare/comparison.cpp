#include "compare/comparison.hpp"

#include "event_text.hpp"
#include "node_palette.hpp"
#include "run_tally.hpp"

#include <QDateTime>
#include <QObject>

#include <algorithm>
#include <cmath>
#include <functional>

namespace statelab::gui {

namespace {
struct Metric {
    ChartSpec spec;
    std::function<double(const RunRecord&, const RunRecord::Row&, double& cumulative)> value;
    bool latency = false; // no answers in an interval = no latency: the point is left out
};

std::vector<Metric> metrics() {
    const QString x = QObject::tr("time since traffic start (s)");
    auto perSecond = [](double RunRecord::Row::*field) {
        return [field](const RunRecord& run, const RunRecord::Row& row, double&) { return row.*field / run.interval_s; };
    };
    return {
        {{"requests", QObject::tr("Requests per second"), QObject::tr("requests / s"), x}, perSecond(&RunRecord::Row::requests)},
        {{"lost", QObject::tr("Lost sessions so far"), QObject::tr("lost sessions"), x},
         [](const RunRecord&, const RunRecord::Row& row, double& cumulative) { return cumulative += row.lost; }},
        {{"hits", QObject::tr("Session hits per second"), QObject::tr("hits / s"), x}, perSecond(&RunRecord::Row::hits)},
        {{"failures", QObject::tr("Failed requests per second"), QObject::tr("failures / s"), x},
         perSecond(&RunRecord::Row::errors)},
        {{"latency-p99", QObject::tr("Latency p99"), QObject::tr("latency (ms)"), x, 1},
         [](const RunRecord&, const RunRecord::Row& row, double&) { return row.p99_ms; }, true},
    };
}

double summaryCount(const RunRecord& run, const char* group, const char* key) {
    return run.summary.value(QLatin1String(group)).toObject().value(QLatin1String(key)).toDouble();
}
} // namespace

RunExport comparisonExport(const std::vector<RunRecord>& runs) {
    RunExport out;
    QStringList labels;
    for (const RunRecord& run : runs) labels << run.label;
    out.header.title = QObject::tr("Compared: %1").arg(labels.join(QStringLiteral(" vs ")));
    out.header.subtitle = QObject::tr("%1 runs, aligned where their traffic started · %2")
                              .arg(runs.size())
                              .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));

    // Legends too narrow for the whole names show what tells the runs apart: the end of names
    // that start alike, else each run's mode and the time it ran.
    QStringList shortLabels = distinctParts(labels);
    if (shortLabels.contains(QString()))
        for (std::size_t i = 0; i < runs.size(); ++i)
            shortLabels[static_cast<qsizetype>(i)] =
                QStringLiteral("%1 · %2").arg(runs[i].mode, timeKept(runs[i].dir));
    for (const Metric& metric : metrics()) {
        FigurePanel panel{metric.spec, ChartData()};
        panel.data.setTight(true); // finished runs: the axis ends with the longest
        for (std::size_t i = 0; i < runs.size(); ++i) {
            const RunRecord& run = runs[i];
            SeriesInfo info;
            info.key = run.dir;
            info.label = run.label;
            info.color = SeriesColors::run(static_cast<int>(i));
            info.shortLabel = shortLabels[static_cast<qsizetype>(i)];
            const int series = panel.data.series(info);
            double cumulative = 0;
            for (const RunRecord::Row& row : run.rows) {
                const double value = metric.value(run, row, cumulative);
                if (row.t_s < 0) continue; // before traffic: idle cluster
                if (metric.latency && row.requests == 0) {
                    // No answers (an outage): a gap in the line, not a line drawn across it.
                    const bool open = panel.data.pointCount(series) > 0 && !std::isnan(panel.data.points(series).back().y());
                    if (open) panel.data.append(series, row.t_s, std::nan(""));
                    continue;
                }
                panel.data.append(series, row.t_s, value);
            }
        }
        // The same event in several runs (the same timeline) is one marker, not a smudge of them,
        // in grey; an event of one run takes that run's colour (its line's), so whose it is reads
        // at a glance. Each run's labels start in a row of their own.
        std::vector<Marker> markers;
        for (std::size_t i = 0; i < runs.size(); ++i) {
            for (const Event& event : runs[i].events) {
                if (!eventIsMarker(event) || event.kind == EventKind::traffic_start) continue;
                const QString text = eventMarkerText(event);
                auto same = std::find_if(markers.begin(), markers.end(), [&](const Marker& m) {
                    return m.label == text && std::abs(m.t_s - event.t_s) < 1.0;
                });
                if (same != markers.end()) same->color = SeriesColors::sharedEvent(); // every run's, or several
                else markers.push_back({event.t_s, text, SeriesColors::run(static_cast<int>(i)), static_cast<int>(i)});
            }
        }
        for (Marker& m : markers) panel.data.addMarker(std::move(m));
        out.charts.push_back(std::move(panel));
    }

    for (const RunRecord& run : runs) {
        const double lost = summaryCount(run, "sessions", "lost");
        double failed = 0;
        for (const QJsonValue& v : run.summary.value(QStringLiteral("failures")).toObject()) failed += v.toDouble();
        out.keyFigures.push_back({run.label, QObject::tr("%1 lost · %2 failed").arg(formatCount(static_cast<std::uint64_t>(lost)),
                                                                                     formatCount(static_cast<std::uint64_t>(failed))),
                                  lost > 0});
    }
    return out;
}

} // namespace statelab::gui
