#pragma once
// A chart's data without any widget: per-series points streamed in one per snapshot, a bounded
// history, and the slice to draw for the selected time window (thinned to what fits in the
// plot's pixels). Kept out of the views so it can be tested and benchmarked alone.
#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>

#include <vector>

namespace statelab::gui {

struct SeriesInfo {
    QString key;   // stable identity, e.g. the node name
    QString label; // legend text
    QColor color;
    bool emphasis = false; // drawn thicker: the line the chart is about (lost sessions)
    bool dashed = false;   // a second kind of line in the same colour (a node's copies beside its requests)
    bool inLegend = true;  // false: explained by another entry (one "dashed: copies" for every node)
    QString shortLabel; // legend text where the whole label does not fit (empty: none shorter)
};

// A labelled vertical line: something that happened (kill node-2, users 300 -> 600).
struct Marker {
    double t_s = 0;
    QString label;
    QColor color;
    int row = 0; // the label row tried first (a comparison: one row per run)
};

class ChartData {
public:
    // Two hours of 250 ms snapshots per series; older points are dropped in batches.
    explicit ChartData(std::size_t capacity = 28800) : m_capacity(capacity) {}

    // Index of the series with this key, added (with label and colour) on first use.
    int series(const QString& key, const QString& label, const QColor& color, bool emphasis = false);
    int series(const SeriesInfo& info);
    void append(int series, double t_s, double value);
    void addMarker(Marker marker);
    void clear();

    void setWindow(double seconds) { m_window = seconds; } // 0 = the whole run
    double window() const { return m_window; }
    // Whole run, axis ending at the last point (a finished run on a slide) instead of growing
    // in 10 s steps ahead of the data (a live run).
    void setTight(bool tight) { m_tight = tight; }
    // The y axis's title when the data needs another than the chart's own (empty: the chart's).
    void setYTitle(const QString& title) { m_yTitle = title; }
    const QString& yTitle() const { return m_yTitle; }
    // A figure shown under the chart's title ("busiest node 1.8× the mean"); empty: none.
    void setTitleNote(const QString& note) { m_titleNote = note; }
    const QString& titleNote() const { return m_titleNote; }
    // The x axis spans exactly [from, to]: a chosen part of the run, or the span shared by every
    // panel of a dashboard. to <= from: no range (the window or tight rules apply).
    void setRange(double from, double to) { m_rangeFrom = from, m_rangeTo = to; }
    bool hasRange() const { return m_rangeTo > m_rangeFrom; }
    double rangeFrom() const { return m_rangeFrom; }
    double rangeTo() const { return m_rangeTo; }
    // A copy holding only the points and markers in [from, to], with that range set.
    ChartData cropped(double from, double to) const;
    double latestTime() const { return m_latest; }

    const std::vector<SeriesInfo>& seriesInfo() const { return m_info; }
    const std::vector<Marker>& markers() const { return m_markers; }
    std::size_t pointCount(int series) const { return m_points[series].size(); }
    const std::vector<QPointF>& points(int series) const { return m_points[series]; }

    struct View {
        double xMin = 0, xMax = 60, yMax = 1, yStep = 0.25; // yMax is a whole number of yStep
        std::vector<QList<QPointF>> points; // one list per series, in seriesInfo() order
    };
    // The window's points; more than `maxPoints` in a series are thinned to min/max pairs per
    // bucket, which keeps spikes (a kill) visible while bounding the cost of a replot.
    View view(int maxPoints) const;

private:
    std::size_t m_capacity;
    double m_window = 60;
    bool m_tight = false;
    QString m_yTitle;
    QString m_titleNote;
    double m_rangeFrom = 0, m_rangeTo = 0;
    double m_latest = 0;
    std::vector<SeriesInfo> m_info;
    std::vector<std::vector<QPointF>> m_points;
    std::vector<Marker> m_markers;
};

// The smallest 1, 2, 2.5 or 5 x 10^k that is >= value: steps a reader can take in at a glance.
double niceCeiling(double value);
// A y axis for data up to `value`: a nice step and about 4-5 gridlines to the first one above it.
void niceAxis(double value, double* max, double* step);

} // namespace statelab::gui
