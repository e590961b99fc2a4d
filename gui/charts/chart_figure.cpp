#include "charts/chart_figure.hpp"

#include "charts/event_marker.hpp"

#include <QFontMetrics>
#include <QLegend>
#include <QLineSeries>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QLegendMarker>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>

namespace statelab::gui {

namespace {
// Label rows at the top of the plot: as many as the events need, in at most this share of it.
constexpr double kMarkerBand = 0.7;

QFont pointFont(double size, bool bold = false) {
    QFont font;
    font.setPointSizeF(size);
    font.setBold(bold);
    return font;
}

// As many decimals as the step needs to print exactly: "0.25", "2.5", never "0, 0, 1, 1" or
// "0, 3, 5, 8, 10, 13" (a 2.5 step rounded to whole numbers).
int decimalsFor(double step) {
    for (int decimals = 0; decimals < 3; ++decimals) {
        const double scaled = step * std::pow(10.0, decimals);
        if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) return decimals;
    }
    return 3;
}
} // namespace

QFont pixelFont(int size, bool bold) {
    QFont font;
    font.setPixelSize(size);
    font.setBold(bold);
    return font;
}

ChartStyle screenStyle(const Theme& theme, double scale) {
    ChartStyle s;
    s.colors = theme;
    s.title = pointFont(12 * scale, true);
    s.axisLabels = s.axisTitle = s.legend = pointFont(10 * scale);
    s.marker = pointFont(10 * scale, true);
    s.lineWidth *= scale;
    s.emphasisWidth *= scale;
    return s;
}

ChartStyle presentationStyle() {
    ChartStyle s;
    s.colors = lightTheme();
    s.colors.mutedText = QColor(0x3c4249); // darker than on screen: projectors wash grey out
    s.colors.grid = QColor(0xdde1e6);
    s.title = pixelFont(26, true);
    s.axisLabels = pixelFont(18);
    s.axisTitle = pixelFont(18);
    s.legend = pixelFont(19);
    s.marker = pixelFont(17, true);
    s.lineWidth = 4;
    s.emphasisWidth = 6;
    s.markerLineWidth = 3;
    s.showTitle = false; // the figure's own header carries the title
    return s;
}

ChartFigure::ChartFigure(const ChartSpec& spec, QGraphicsItem* parent)
    : QChart(parent), m_spec(spec), m_x(new QValueAxis), m_y(new QValueAxis) {
    setObjectName(spec.key);
    setMargins(QMargins(6, 4, 6, 4));
    setBackgroundRoundness(4);
    setAnimationOptions(QChart::NoAnimation); // live data: animation only lags behind

    m_x->setTitleText(spec.xTitle);
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    m_x->setTickType(QValueAxis::TicksDynamic); // 0, 5, 10 s...: round seconds, not 0, 3, 7
    m_x->setTickAnchor(0);
    m_x->setTickInterval(5);
    m_x->setRange(0, 20);
    m_y->setTitleText(spec.yTitle);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setTickType(QValueAxis::TicksDynamic); // gridlines on round numbers: 0, 250, 500...
    m_y->setTickAnchor(0);
    m_y->setTickInterval(0.25);
    m_y->setRange(0, 1);
    addAxis(m_x, Qt::AlignBottom);
    addAxis(m_y, Qt::AlignLeft);
    legend()->setAlignment(Qt::AlignBottom);
    legend()->setMarkerShape(QLegend::MarkerShapeRectangle);
    connect(this, &QChart::plotAreaChanged, this, [this] { layoutMarkers(); });
    setStyle(screenStyle(lightTheme()));
}

ChartFigure::~ChartFigure() = default;

void ChartFigure::setStyle(const ChartStyle& style) {
    m_style = style;
    const Theme& theme = style.colors;
    applyTitle();
    setTitleFont(style.title);
    setTitleBrush(theme.text);
    setBackgroundBrush(theme.chartBackground);
    setPlotAreaBackgroundBrush(theme.plotBackground);
    setPlotAreaBackgroundVisible(true);
    legend()->setFont(style.legend);
    legend()->setLabelColor(theme.text);
    for (QValueAxis* axis : {m_x, m_y}) {
        axis->setLabelsFont(style.axisLabels);
        axis->setTitleFont(style.axisTitle);
        axis->setLabelsColor(theme.mutedText);
        axis->setTitleBrush(theme.mutedText);
        axis->setGridLineColor(theme.grid);
        axis->setLinePenColor(theme.axis);
    }
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        const QPen pen = penFor(m_lines[i]->pen().color(), m_emphasis[i], m_dashed[i]);
        m_lines[i]->setPen(pen);
        for (QLineSeries* piece : m_segments[i]) piece->setPen(pen);
    }
    m_markerFont = style.marker;
    for (EventMarker* marker : m_markers) marker->setStyle(m_markerFont, theme.chartBackground, style.markerLineWidth);
}

void ChartFigure::fitMarkerFont() {
    // Presentation type in a narrow plot: labels as wide as the plot leave no room for rows of
    // them. Smaller (down to 65%) until the widest takes at most 45% of the plot's width.
    const qreal plotWidth = plotArea().width();
    if (plotWidth <= 0 || m_markers.empty()) return;
    const QFontMetricsF full(m_style.marker);
    qreal widest = 0;
    for (const EventMarker* marker : m_markers) widest = std::max(widest, full.horizontalAdvance(marker->text()) + 8);
    const qreal scale = std::clamp(0.45 * plotWidth / std::max<qreal>(1, widest), 0.65, 1.0);
    QFont font = m_style.marker;
    if (font.pixelSize() > 0) font.setPixelSize(std::max(1, qRound(font.pixelSize() * scale)));
    else font.setPointSizeF(font.pointSizeF() * scale);
    if (font == m_markerFont) return;
    m_markerFont = font;
    for (EventMarker* marker : m_markers) marker->setStyle(m_markerFont, m_style.colors.chartBackground, m_style.markerLineWidth);
}

void ChartFigure::applyTitle() {
    if (!m_style.showTitle) return setTitle(QString());
    if (m_titleNote.isEmpty()) return setTitle(m_spec.title);
    // Rich text: the note on a second, smaller line.
    setTitle(QStringLiteral("%1<br><span style='font-size:%2pt; font-weight:normal'>%3</span>")
                 .arg(m_spec.title.toHtmlEscaped())
                 .arg(std::max(6.0, m_style.title.pointSizeF() > 0 ? m_style.title.pointSizeF() * 0.75 : 9.0))
                 .arg(m_titleNote.toHtmlEscaped()));
}

QPen ChartFigure::penFor(const QColor& color, bool emphasis, bool dashed) const {
    // Flat caps and bevel joins are the cheap ones to stroke (round ones double the repaint
    // time of a full 16-node chart).
    QPen pen(color, emphasis ? m_style.emphasisWidth : m_style.lineWidth);
    if (dashed) pen.setStyle(Qt::DashLine);
    pen.setCapStyle(Qt::FlatCap);
    pen.setJoinStyle(Qt::BevelJoin);
    return pen;
}

QLineSeries* ChartFigure::lineFor(const SeriesInfo& info, std::size_t index) {
    const QPen pen = penFor(info.color, info.emphasis, info.dashed);
    auto showInLegend = [&](QLineSeries* line) {
        bool changed = false;
        for (QLegendMarker* marker : legend()->markers(line))
            if (marker->isVisible() != info.inLegend) {
                marker->setVisible(info.inLegend);
                changed = true;
            }
        // The legend cut its labels to share the width among every entry, hidden ones too, and
        // does not lay out again by itself when one is hidden.
        if (changed && legend()->layout()) legend()->layout()->invalidate();
    };
    if (index < m_lines.size()) {
        // The data was cleared and refilled (a new run): the line takes on its new series.
        QLineSeries* line = m_lines[index];
        if (line->name() != legendName(info)) line->setName(legendName(info));
        showInLegend(line);
        if (line->pen().color() != info.color || m_emphasis[index] != info.emphasis || m_dashed[index] != info.dashed) {
            line->setPen(pen);
            for (QLineSeries* piece : m_segments[index]) piece->setPen(pen);
            m_emphasis[index] = info.emphasis;
            m_dashed[index] = info.dashed;
        }
        return line;
    }
    auto* line = new QLineSeries;
    line->setName(legendName(info));
    line->setPen(pen);
    addSeries(line);
    line->attachAxis(m_x);
    line->attachAxis(m_y);
    showInLegend(line);
    m_lines.push_back(line);
    m_emphasis.push_back(info.emphasis);
    m_dashed.push_back(info.dashed);
    m_segments.emplace_back();
    return line;
}

QLineSeries* ChartFigure::segmentFor(std::size_t index, std::size_t piece) {
    auto& pieces = m_segments[index];
    while (pieces.size() <= piece) {
        auto* line = new QLineSeries;
        line->setPen(m_lines[index]->pen());
        addSeries(line);
        line->attachAxis(m_x);
        line->attachAxis(m_y);
        for (QLegendMarker* marker : legend()->markers(line)) marker->setVisible(false);
        pieces.push_back(line);
    }
    return pieces[piece];
}

namespace {
// A NaN value marks a gap (an interval without answers): the line stops there and starts anew.
std::vector<QList<QPointF>> splitAtGaps(const QList<QPointF>& points) {
    std::vector<QList<QPointF>> pieces(1);
    for (const QPointF& p : points) {
        if (std::isnan(p.y())) {
            if (!pieces.back().isEmpty()) pieces.emplace_back();
            continue;
        }
        pieces.back().append(p);
    }
    if (pieces.size() > 1 && pieces.back().isEmpty()) pieces.pop_back();
    return pieces;
}
} // namespace

void ChartFigure::show(const ChartData& data, int maxPoints) {
    const QString& yTitle = data.yTitle().isEmpty() ? m_spec.yTitle : data.yTitle();
    if (m_y->titleText() != yTitle) m_y->setTitleText(yTitle);
    if (data.titleNote() != m_titleNote) {
        m_titleNote = data.titleNote();
        applyTitle();
    }
    ChartData::View view = data.view(maxPoints);
    m_visible = 0;
    for (std::size_t i = 0; i < view.points.size(); ++i) {
        const QList<QPointF>& points = view.points[i];
        const bool gapped = std::any_of(points.begin(), points.end(), [](const QPointF& p) { return std::isnan(p.y()); });
        if (!gapped) {
            // The common case, without copying: the line takes the view's list as it is.
            lineFor(data.seriesInfo()[i], i)->replace(points);
            for (QLineSeries* piece : m_segments[i]) piece->clear();
        } else {
            const std::vector<QList<QPointF>> pieces = splitAtGaps(points);
            lineFor(data.seriesInfo()[i], i)->replace(pieces.front());
            for (std::size_t k = 1; k < pieces.size(); ++k) segmentFor(i, k - 1)->replace(pieces[k]);
            for (std::size_t k = pieces.size() - 1; k < m_segments[i].size(); ++k) m_segments[i][k]->clear();
        }
        m_visible += view.points[i].size();
    }
    while (m_lines.size() > view.points.size()) { // series of a cleared run
        for (QLineSeries* piece : m_segments.back()) {
            removeSeries(piece);
            delete piece;
        }
        removeSeries(m_lines.back());
        delete m_lines.back();
        m_lines.pop_back();
        m_emphasis.pop_back();
        m_dashed.pop_back();
        m_segments.pop_back();
    }
    // As many ticks as fit side by side in the plot's width (at most 7): presentation type in
    // a narrow chart once turned them into "… … …".
    const QFontMetricsF tickMetrics(m_style.axisLabels);
    const qreal tickWidth = tickMetrics.horizontalAdvance(QString::number(std::ceil(view.xMax))) + tickMetrics.height() * 1.5;
    const int ticksThatFit = plotArea().width() > 0 ? static_cast<int>(plotArea().width() / tickWidth) : 7;
    const double xTick = niceCeiling((view.xMax - view.xMin) / std::clamp(ticksThatFit, 2, 7));
    m_x->setTickInterval(xTick);
    // A 1 s run: 0.2, 0.4, not 0, 0, 1. Set only when it changes: a new format relays the axis out.
    if (const QString xFormat = QStringLiteral("%.%1f").arg(decimalsFor(xTick)); m_x->labelFormat() != xFormat)
        m_x->setLabelFormat(xFormat);
    m_x->setRange(view.xMin, view.xMax);
    // The event labels sit in rows at the top of the plot, as many rows as it takes for every
    // label to be drawn without overlapping another: the y axis reaches high enough that the
    // data stays below them (a label over the line it marks hides what it explains).
    m_xMin = view.xMin;
    m_xMax = view.xMax;
    syncMarkers(data.markers());
    fitMarkerFont();
    const int rowsUsed = placeLabels(nullptr);
    const qreal plotHeight = plotArea().height();
    if (rowsUsed > 0 && plotHeight > 40) {
        const qreal rowHeight = QFontMetricsF(m_markerFont).height() + 4;
        const double band = std::min(kMarkerBand, (rowsUsed * rowHeight + 6) / plotHeight);
        double dataMax = 0;
        for (const auto& points : view.points)
            for (const QPointF& p : points)
                if (!std::isnan(p.y())) dataMax = std::max(dataMax, p.y());
        if (dataMax > 0 && dataMax > view.yMax * (1 - band)) niceAxis(dataMax / (1 - band), &view.yMax, &view.yStep);
    }
    m_y->setTickInterval(view.yStep);
    m_y->setLabelFormat(QStringLiteral("%.%1f").arg(std::max(decimalsFor(view.yStep), m_spec.minDecimals)));
    m_y->setRange(0, view.yMax);
    layoutMarkers();
}

void ChartFigure::syncMarkers(const std::vector<Marker>& markers) {
    std::size_t same = 0;
    while (same < m_markers.size() && same < markers.size() && m_markers[same]->text() == markers[same].label &&
           m_markerTimes[same] == markers[same].t_s)
        ++same;
    for (std::size_t i = same; i < m_markers.size(); ++i) delete m_markers[i];
    m_markers.resize(same);
    m_markerTimes.resize(same);
    m_markerRows.resize(same);
    for (std::size_t i = same; i < markers.size(); ++i) {
        auto* item = new EventMarker(markers[i].label, markers[i].color, this);
        item->setStyle(m_markerFont, m_style.colors.chartBackground, m_style.markerLineWidth);
        m_markers.push_back(item);
        m_markerTimes.push_back(markers[i].t_s);
        m_markerRows.push_back(markers[i].row);
    }
}

qreal ChartFigure::labelRightLimit() const {
    // Labels may reach past the plot into the margin, never over a legend on the right.
    const qreal edge = size().width() - 4;
    if (legend()->isVisible() && legend()->alignment() == Qt::AlignRight && legend()->geometry().width() > 0)
        return std::min(edge, legend()->geometry().left() - 4);
    return edge;
}

int ChartFigure::placeLabels(std::vector<int>* rows) const {
    const QRectF plot = plotArea();
    const double span = m_xMax - m_xMin;
    if (rows) rows->assign(m_markers.size(), -1);
    if (plot.isEmpty() || span <= 0) return 0;
    const qreal maxRight = labelRightLimit();
    const qreal rowHeight = QFontMetricsF(m_markerFont).height() + 4;
    const int maxRows = std::max(1, static_cast<int>(plot.height() * kMarkerBand / rowHeight));
    // Labels already placed, per row: a label flipped left of its line (near the right edge)
    // can reach back over an earlier one, so every span of the row is checked, not its end.
    std::vector<std::vector<std::pair<qreal, qreal>>> taken(static_cast<std::size_t>(maxRows));
    int used = 0;
    for (std::size_t i = 0; i < m_markers.size(); ++i) {
        const double t = m_markerTimes[i];
        if (t < m_xMin || t > m_xMax) continue;
        const qreal x = plot.left() + (t - m_xMin) / span * plot.width();
        const auto [left, right] = m_markers[i]->labelExtent(x, plot.left(), maxRight);
        auto clashes = [&, left = left, right = right](int row) {
            for (const auto& [l, r] : taken[static_cast<std::size_t>(row)])
                if (left < r + 4 && l < right + 4) return true;
            return false;
        };
        // The first row from the preferred one (a comparison gives each run its own) where the
        // label overlaps nothing. Only a plot too short for the rows it needs drops a label
        // (its line stays, the label in its tooltip).
        int row = std::clamp(m_markerRows[i], 0, maxRows - 1);
        for (int tried = 0; tried < maxRows && clashes(row); ++tried) row = (row + 1) % maxRows;
        if (clashes(row)) continue;
        taken[static_cast<std::size_t>(row)].emplace_back(left, right);
        used = std::max(used, row + 1);
        if (rows) (*rows)[i] = row;
    }
    return used;
}

void ChartFigure::layoutMarkers() {
    const QRectF plot = plotArea();
    if (plot.isEmpty() || m_xMax - m_xMin <= 0) return;
    std::vector<int> rows;
    placeLabels(&rows);
    const qreal maxRight = labelRightLimit();
    for (std::size_t i = 0; i < m_markers.size(); ++i) {
        EventMarker* item = m_markers[i];
        const double t = m_markerTimes[i];
        if (t < m_xMin || t > m_xMax) {
            item->hide();
            continue;
        }
        const qreal x = plot.left() + (t - m_xMin) / (m_xMax - m_xMin) * plot.width();
        item->place(x, plot.top(), plot.bottom(), std::max(0, rows[i]), plot.left(), maxRight);
        item->setLabelShown(rows[i] >= 0);
        item->show();
    }
}

namespace {
const QString& nameOf(const SeriesInfo& info, bool shortNames) {
    return shortNames && !info.shortLabel.isEmpty() ? info.shortLabel : info.label;
}
} // namespace

QString ChartFigure::legendName(const SeriesInfo& info) const { return nameOf(info, m_shortNames); }

void ChartFigure::fitLegend(const ChartData& data, qreal width) {
    // QLegend gives every entry the same width and cuts what does not fit ("co..."): take the
    // largest font (down to 60%: presentation type is large) at which the longest name fits its
    // share, then the same with the short names (compared runs: what tells them apart), else
    // list the entries on the right.
    std::vector<SeriesInfo> series;
    for (const SeriesInfo& info : data.seriesInfo())
        if (info.inLegend) series.push_back(info);
    if (series.empty()) return;
    const bool anyShorter = std::any_of(series.begin(), series.end(), [](const SeriesInfo& i) { return !i.shortLabel.isEmpty(); });
    const qreal share = (width - 24) / qreal(series.size());
    QFont font = m_style.legend;
    const bool pixels = font.pixelSize() > 0;
    const qreal full = pixels ? font.pixelSize() : font.pointSizeF();
    auto useNames = [&](bool shortNames) {
        if (m_shortNames == shortNames) return;
        m_shortNames = shortNames;
        const auto& all = data.seriesInfo();
        for (std::size_t i = 0; i < all.size() && i < m_lines.size(); ++i) m_lines[i]->setName(legendName(all[i]));
    };
    for (bool shortNames : {false, true}) {
        if (shortNames && !anyShorter) break;
        for (qreal scale : {1.0, 0.9, 0.8, 0.7, 0.6}) {
            if (pixels) font.setPixelSize(qRound(full * scale)); else font.setPointSizeF(full * scale);
            const QFontMetrics metrics(font);
            int longest = 0;
            for (const SeriesInfo& info : series) longest = std::max(longest, metrics.horizontalAdvance(nameOf(info, shortNames)));
            // Besides its text an entry holds its marker, the gaps around it and the legend's margins.
            if (longest + 3.5 * metrics.height() <= share) {
                useNames(shortNames);
                legend()->setVisible(true); // no-op when it is: QGraphicsItem compares first
                if (legend()->font() != font) legend()->setFont(font);
                if (legend()->alignment() != Qt::AlignBottom) legend()->setAlignment(Qt::AlignBottom);
                setXTitleShort(false);
                return;
            }
        }
    }
    useNames(anyShorter);
    if (legend()->font() != font) legend()->setFont(font);
    // On the right the entries are listed whole, unless that leaves the plot too narrow to read:
    // then they stay below it, cut to their share.
    const QFontMetrics metrics(font);
    int longest = 0;
    for (const SeriesInfo& info : series) longest = std::max(longest, metrics.horizontalAdvance(legendName(info)));
    const bool onTheRight = longest + 3.5 * metrics.height() <= 0.35 * width;
    legend()->setVisible(onTheRight || !m_legendOptional);
    const Qt::Alignment where = onTheRight ? Qt::AlignRight : Qt::AlignBottom;
    if (legend()->alignment() != where) legend()->setAlignment(where);
    setXTitleShort(onTheRight); // the plot is narrower there: the long title would be cut
}

void ChartFigure::setXTitleShort(bool shortTitle) {
    const QString text = shortTitle ? tr("time (s)") : m_spec.xTitle;
    if (m_x->titleText() != text) m_x->setTitleText(text);
}

} // namespace statelab::gui
