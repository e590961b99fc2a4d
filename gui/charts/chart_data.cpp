#include "charts/chart_data.hpp"

#include <algorithm>
#include <cmath>

namespace statelab::gui {

int ChartData::series(const QString& key, const QString& label, const QColor& color, bool emphasis) {
    SeriesInfo info;
    info.key = key;
    info.label = label;
    info.color = color;
    info.emphasis = emphasis;
    return series(info);
}

int ChartData::series(const SeriesInfo& info) {
    for (std::size_t i = 0; i < m_info.size(); ++i)
        if (m_info[i].key == info.key) return static_cast<int>(i);
    m_info.push_back(info);
    m_points.emplace_back();
    m_points.back().reserve(1024);
    return static_cast<int>(m_info.size() - 1);
}

void ChartData::append(int series, double t_s, double value) {
    auto& points = m_points[series];
    points.emplace_back(t_s, value);
    // Drop a quarter at once: erasing from the front on every append would be quadratic.
    if (points.size() > m_capacity + m_capacity / 4)
        points.erase(points.begin(), points.begin() + static_cast<std::ptrdiff_t>(points.size() - m_capacity));
    m_latest = std::max(m_latest, t_s);
}

void ChartData::addMarker(Marker marker) { m_markers.push_back(std::move(marker)); }

ChartData ChartData::cropped(double from, double to) const {
    ChartData out(m_capacity);
    out.m_window = m_window;
    out.m_info = m_info;
    out.m_yTitle = m_yTitle;
    out.m_titleNote = m_titleNote;
    for (const auto& points : m_points) {
        auto& kept = out.m_points.emplace_back();
        for (const QPointF& p : points)
            if (p.x() >= from - 1e-9 && p.x() <= to + 1e-9) kept.push_back(p);
        if (!kept.empty()) out.m_latest = std::max(out.m_latest, kept.back().x());
    }
    for (const Marker& m : m_markers)
        if (m.t_s >= from - 1e-9 && m.t_s <= to + 1e-9) out.m_markers.push_back(m);
    out.setRange(from, to);
    return out;
}

void ChartData::clear() {
    // Series go too: a node of the previous cluster must not stay in the legend.
    m_info.clear();
    m_points.clear();
    m_markers.clear();
    m_latest = 0;
    m_yTitle.clear();
    m_titleNote.clear();
}

ChartData::View ChartData::view(int maxPoints) const {
    View view;
    // Until the run fills the window the axis grows in 10 s steps from 0, so a young run is not
    // squeezed into the left edge; after that, a window of fixed width slides along.
    const double grown = std::max(20.0, std::ceil(m_latest / 10.0) * 10.0);
    if (hasRange()) {
        view.xMin = m_rangeFrom;
        view.xMax = m_rangeTo;
    } else if (m_tight && m_latest > 0) {
        view.xMin = 0;
        view.xMax = m_latest;
    } else if (m_window > 0 && m_latest > m_window) {
        view.xMax = m_latest;
        view.xMin = m_latest - m_window;
    } else {
        view.xMin = 0;
        view.xMax = m_window > 0 ? std::min(grown, m_window) : grown;
    }
    double yMax = 0;
    view.points.reserve(m_points.size());
    const int buckets = std::max(1, maxPoints / 2);
    for (const auto& points : m_points) {
        QList<QPointF>& out = view.points.emplace_back();
        auto first = std::lower_bound(points.begin(), points.end(), view.xMin,
                                      [](const QPointF& p, double x) { return p.x() < x; });
        if (first != points.begin()) --first; // the line enters the plot from its left edge
        auto last = std::upper_bound(first, points.end(), view.xMax,
                                     [](double x, const QPointF& p) { return x < p.x(); });
        if (last != points.end()) ++last; // ... and leaves it at its right edge
        const auto count = static_cast<int>(last - first);
        if (count <= maxPoints) {
            out.reserve(count);
            for (auto it = first; it != last; ++it) {
                out.append(*it);
                yMax = std::max(yMax, it->y());
            }
            continue;
        }
        out.reserve(buckets * 2);
        for (int b = 0; b < buckets; ++b) {
            const auto begin = first + static_cast<std::ptrdiff_t>(count) * b / buckets;
            const auto end = first + static_cast<std::ptrdiff_t>(count) * (b + 1) / buckets;
            if (begin == end) continue;
            auto [lo, hi] = std::minmax_element(begin, end, [](const QPointF& a, const QPointF& c) { return a.y() < c.y(); });
            if (lo > hi) std::swap(lo, hi); // keep x ascending
            out.append(*lo);
            if (hi != lo) out.append(*hi);
            yMax = std::max({yMax, lo->y(), hi->y()});
        }
    }
    if (yMax > 0) {
        niceAxis(yMax * 1.05, &view.yMax, &view.yStep);
    } else { // nothing yet (or all zero): whole steps, not 0.0, 0.2, 0.4...
        view.yMax = 4;
        view.yStep = 1;
    }
    return view;
}

double niceCeiling(double value) {
    if (!(value > 0)) return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (step * magnitude >= value * (1 - 1e-9)) return step * magnitude;
    return 10 * magnitude;
}

} // namespace statelab::gui

namespace statelab::gui {

void niceAxis(double value, double* max, double* step) {
    if (!(value > 0)) value = 1;
    *step = niceCeiling(value / 5);
    *max = std::ceil(value / *step - 1e-9) * *step;
}

} // namespace statelab::gui
