#include "charts/chart_view_base.hpp"

#include "event_text.hpp"

#include <algorithm>

namespace statelab::gui {

namespace {
constexpr int kReplotDelayMs = 40;
} // namespace

QString timeSinceLaunchTitle() { return ChartViewBase::tr("time since launch (s)"); }

ChartViewBase::ChartViewBase(const ChartSpec& spec, QWidget* parent)
    : QChartView(parent), m_figure(new ChartFigure(spec)) {
    setObjectName(spec.title);
    setChart(m_figure);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(280, 200);

    m_replotTimer.setSingleShot(true);
    m_replotTimer.setInterval(kReplotDelayMs);
    connect(&m_replotTimer, &QTimer::timeout, this, &ChartViewBase::replot);
    applyTheme(lightTheme());
}

ChartViewBase::~ChartViewBase() = default;

void ChartViewBase::addSnapshot(const Snapshot& snapshot) {
    collect(m_data, snapshot);
    for (const Event& event : snapshot.events)
        if (eventIsMarker(event)) m_data.addMarker({event.t_s, eventMarkerText(event), eventColor(event)});
    scheduleReplot();
}

void ChartViewBase::addMarker(double t_s, const QString& label, const QColor& color) {
    m_data.addMarker({t_s, label, color});
    scheduleReplot();
}

void ChartViewBase::setData(ChartData data) {
    const double window = m_data.window();
    m_data = std::move(data);
    m_data.setWindow(window);
    m_figure->fitLegend(m_data, width());
    replot();
}

void ChartViewBase::setWindow(double seconds) {
    m_data.setWindow(seconds);
    replot();
}

void ChartViewBase::clear() {
    m_data.clear();
    forget();
    replot();
}

void ChartViewBase::scheduleReplot() {
    if (!m_replotTimer.isActive()) m_replotTimer.start();
}

void ChartViewBase::replot() {
    m_replotTimer.stop();
    const std::size_t seriesBefore = m_figure->series().size();
    // Two points (min and max) per 3 px: a spike stays drawn, and more cannot be seen, only paid
    // for, first in the series' geometry (Qt strokes every line for its mouse shape: most of an
    // update) and then in every repaint.
    m_figure->show(m_data, std::max(200, static_cast<int>(m_figure->plotArea().width() * 2 / 3)));
    if (static_cast<std::size_t>(m_figure->series().size()) != seriesBefore) m_figure->fitLegend(m_data, width());
    // Antialiased strokes cost ~3x; past a few thousand points (16 nodes over a long run) the
    // chart stays responsive without them, and that many lines look dense either way.
    const bool smooth = m_figure->visiblePoints() <= 4000;
    if (renderHints().testFlag(QPainter::Antialiasing) != smooth) setRenderHint(QPainter::Antialiasing, smooth);
}

void ChartViewBase::applyTheme(const Theme& theme, double scale) {
    m_figure->setStyle(screenStyle(theme, scale));
    setBackgroundBrush(theme.chartBackground);
    // Larger type takes more room: the legend, the ticks and the label rows are laid out again
    // (a finished run gets no new data that would do it).
    m_figure->fitLegend(m_data, width());
    scheduleReplot();
}

void ChartViewBase::setHighlighted(bool on) {
    if (on == m_highlighted) return;
    m_highlighted = on;
    setStyleSheet(on ? QStringLiteral("QChartView { border: 3px solid #e67e00; border-radius: 4px; }") : QString());
}

void ChartViewBase::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    m_figure->fitLegend(m_data, width());
    // The label rows and the y axis's headroom above the data depend on the plot's size: a
    // finished run gets no new data that would lay them out again (F11, a resized Compare).
    scheduleReplot();
}

QStringList ChartViewBase::markerLabels() const {
    QStringList labels;
    for (const Marker& marker : m_data.markers()) labels << marker.label;
    return labels;
}

} // namespace statelab::gui
