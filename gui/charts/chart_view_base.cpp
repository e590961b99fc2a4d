#include "charts/chart_view_base.hpp"

#include "charts/event_marker.hpp"
#include "event_text.hpp"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>

namespace statelab::gui {

namespace {
constexpr int kReplotDelayMs = 40;
constexpr int kMarkerRows = 3;

QFont chartFont(int pointSize, bool bold = false) {
    QFont font;
    font.setPointSize(pointSize);
    font.setBold(bold);
    return font;
}
} // namespace

ChartViewBase::ChartViewBase(const QString& title, const QString& yTitle, QWidget* parent)
    : QChartView(parent), m_title(title), m_chart(new QChart), m_x(new QValueAxis), m_y(new QValueAxis) {
    setObjectName(title);
    m_chart->setTitle(title);
    m_chart->setTitleFont(chartFont(12, true));
    m_chart->setMargins(QMargins(6, 4, 6, 4));
    m_chart->setBackgroundRoundness(4);
    m_chart->setAnimationOptions(QChart::NoAnimation); // live data: animation only lags behind

    m_x->setTitleText(tr("time since launch (s)"));
    m_xTitleShort = tr("time (s)");
    m_xTitleLong = m_x->titleText();
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    m_x->setTickType(QValueAxis::TicksDynamic); // 0, 5, 10 s...: round seconds, not 0, 3, 7
    m_x->setTickAnchor(0);
    m_x->setTickInterval(5);
    m_x->setRange(0, 20);
    m_y->setTitleText(yTitle);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setTickType(QValueAxis::TicksDynamic); // gridlines on round numbers: 0, 250, 500...
    m_y->setTickAnchor(0);
    m_y->setTickInterval(0.25);
    m_y->setRange(0, 1);
    for (QValueAxis* axis : {m_x, m_y}) {
        axis->setLabelsFont(chartFont(10));
        axis->setTitleFont(chartFont(10));
    }
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setFont(chartFont(10));
    m_chart->legend()->setMarkerShape(QLegend::MarkerShapeRectangle);

    setChart(m_chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(280, 200);

    m_replotTimer.setSingleShot(true);
    m_replotTimer.setInterval(kReplotDelayMs);
    connect(&m_replotTimer, &QTimer::timeout, this, &ChartViewBase::replot);
    connect(m_chart, &QChart::plotAreaChanged, this, [this] { layoutMarkers(); });
    applyTheme(lightTheme());
}

ChartViewBase::~ChartViewBase() = default;

void ChartViewBase::setMinimumDecimals(int decimals) { m_minDecimals = decimals; }

void ChartViewBase::addSnapshot(const Snapshot& snapshot) {
    collect(m_data, snapshot);
    for (const Event& event : snapshot.events)
        if (eventIsMarker(event)) addMarker(event.t_s, eventMarkerText(event), eventColor(event));
    scheduleReplot();
}

void ChartViewBase::addMarker(double t_s, const QString& label, const QColor& color) {
    m_data.addMarker({t_s, label, color});
    auto* item = new EventMarker(label, color, m_chart);
    item->setStyle(chartFont(10, true), m_theme.chartBackground);
    m_markers.push_back(item);
    scheduleReplot();
}

void ChartViewBase::setWindow(double seconds) {
    m_data.setWindow(seconds);
    replot();
}

void ChartViewBase::clear() {
    m_data.clear();
    for (EventMarker* marker : m_markers) delete marker;
    m_markers.clear();
    replot();
}

void ChartViewBase::scheduleReplot() {
    if (!m_replotTimer.isActive()) m_replotTimer.start();
}

QLineSeries* ChartViewBase::lineFor(std::size_t index) {
    while (m_lines.size() <= index) {
        const SeriesInfo& info = m_data.seriesInfo()[m_lines.size()];
        auto* line = new QLineSeries;
        line->setName(info.label);
        // Wide enough to read from the back of a room; flat caps and bevel joins are the cheap
        // ones to stroke (round ones double the repaint time of a full 16-node chart).
        QPen pen(info.color, info.emphasis ? 3.0 : 2.0);
        pen.setCapStyle(Qt::FlatCap);
        pen.setJoinStyle(Qt::BevelJoin);
        line->setPen(pen);
        m_chart->addSeries(line);
        line->attachAxis(m_x);
        line->attachAxis(m_y);
        m_lines.push_back(line);
        fitLegend();
    }
    return m_lines[index];
}

void ChartViewBase::replot() {
    m_replotTimer.stop();
    // About one point per horizontal pixel (min/max pairs of 2 px buckets): more cannot be
    // seen, only paid for, first in the series' geometry and then in every repaint.
    const int maxPoints = std::max(200, static_cast<int>(m_chart->plotArea().width()));
    m_view = m_data.view(maxPoints);
    qsizetype visible = 0;
    for (std::size_t i = 0; i < m_view.points.size(); ++i) {
        lineFor(i)->replace(m_view.points[i]);
        visible += m_view.points[i].size();
    }
    // Antialiased strokes cost ~3x; past a few thousand points (16 nodes over a long run) the
    // chart stays responsive without them, and that many lines look dense either way.
    const bool smooth = visible <= 4000;
    if (renderHints().testFlag(QPainter::Antialiasing) != smooth) setRenderHint(QPainter::Antialiasing, smooth);
    m_x->setTickInterval(niceCeiling((m_view.xMax - m_view.xMin) / 7));
    m_x->setRange(m_view.xMin, m_view.xMax);
    m_y->setTickInterval(m_view.yStep);
    // As many decimals as the step needs: "0.25", never "0, 0, 1, 1".
    const int decimals = m_view.yStep >= 1 ? 0 : m_view.yStep >= 0.1 ? (m_view.yStep * 10 == std::floor(m_view.yStep * 10) ? 1 : 2) : 2;
    m_y->setLabelFormat(QStringLiteral("%.") + QString::number(std::max(decimals, m_minDecimals)) + QStringLiteral("f"));
    m_y->setRange(0, m_view.yMax);
    layoutMarkers();
}

void ChartViewBase::layoutMarkers() {
    const QRectF plot = m_chart->plotArea();
    const double span = m_view.xMax - m_view.xMin;
    if (plot.isEmpty() || span <= 0) return;
    std::array<qreal, kMarkerRows> rowEnd;
    rowEnd.fill(-1e9);
    const auto& markers = m_data.markers();
    for (std::size_t i = 0; i < m_markers.size() && i < markers.size(); ++i) {
        EventMarker* item = m_markers[i];
        const double t = markers[i].t_s;
        if (t < m_view.xMin || t > m_view.xMax) {
            item->hide();
            continue;
        }
        const qreal x = plot.left() + (t - m_view.xMin) / span * plot.width();
        // First row whose last label ends before this one starts; else overwrite the emptiest.
        int row = 0;
        while (row < kMarkerRows - 1 && rowEnd[row] > x - 2) ++row;
        item->place(x, plot.top(), plot.bottom(), row, m_chart->size().width() - 4);
        rowEnd[row] = x + item->labelWidth() + 6;
        item->show();
    }
}

void ChartViewBase::applyTheme(const Theme& theme) {
    m_theme = theme;
    m_chart->setBackgroundBrush(theme.chartBackground);
    m_chart->setPlotAreaBackgroundBrush(theme.plotBackground);
    m_chart->setPlotAreaBackgroundVisible(true);
    m_chart->setTitleBrush(theme.text);
    m_chart->legend()->setLabelColor(theme.text);
    for (QValueAxis* axis : {m_x, m_y}) {
        axis->setLabelsColor(theme.mutedText);
        axis->setTitleBrush(theme.mutedText);
        axis->setGridLineColor(theme.grid);
        axis->setLinePenColor(theme.axis);
    }
    QFont markerFont = chartFont(10, true);
    for (EventMarker* marker : m_markers) marker->setStyle(markerFont, theme.chartBackground);
    setBackgroundBrush(theme.chartBackground);
}

void ChartViewBase::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    fitLegend();
}

void ChartViewBase::fitLegend() {
    // QLegend gives every entry the same width and cuts what does not fit ("co…"): take the
    // largest font at which the longest name fits its share, else list the entries on the right.
    const auto& series = m_data.seriesInfo();
    if (series.empty()) return;
    const qreal share = (width() - 24) / qreal(series.size());
    QLegend* legend = m_chart->legend();
    for (int size : {10, 9, 8}) {
        const QFontMetrics metrics(chartFont(size));
        int longest = 0;
        for (const SeriesInfo& info : series) longest = std::max(longest, metrics.horizontalAdvance(info.label));
        if (longest + 1.5 * metrics.height() <= share) {
            if (legend->font().pointSize() != size) legend->setFont(chartFont(size));
            if (legend->alignment() != Qt::AlignBottom) legend->setAlignment(Qt::AlignBottom);
            m_x->setTitleText(m_xTitleLong);
            return;
        }
    }
    if (legend->font().pointSize() != 9) legend->setFont(chartFont(9));
    if (legend->alignment() != Qt::AlignRight) legend->setAlignment(Qt::AlignRight);
    m_x->setTitleText(m_xTitleShort); // the plot is narrower now: the long title would be cut
}

QStringList ChartViewBase::markerLabels() const {
    QStringList labels;
    for (const Marker& marker : m_data.markers()) labels << marker.label;
    return labels;
}

} // namespace statelab::gui
