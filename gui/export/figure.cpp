#include "export/figure.hpp"

#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace statelab::gui {

namespace {
constexpr qreal kMargin = 32;
constexpr qreal kGap = 20;

QGraphicsSimpleTextItem* addText(QGraphicsScene& scene, const QString& text, const QFont& font, const QColor& color,
                                 QPointF at) {
    auto* item = scene.addSimpleText(text, font);
    item->setBrush(color);
    item->setPos(at);
    return item;
}
// Lines no wider than `width`, broken after " · " or " — " (else between words): a long run
// name on a 1280 px slide wraps instead of running off its edge.
QString wrapped(const QString& text, const QFont& font, qreal width) {
    const QFontMetricsF metrics(font);
    if (metrics.horizontalAdvance(text) <= width) return text;
    QStringList pieces;
    QString piece;
    for (const QString& word : text.split(QLatin1Char(' '))) {
        piece += (piece.isEmpty() ? QString() : QStringLiteral(" ")) + word;
        if (word == QStringLiteral("·") || word == QStringLiteral("—")) {
            pieces << piece + QLatin1Char(' ');
            piece.clear();
        }
    }
    if (!piece.isEmpty()) pieces << piece;
    QStringList lines{QString()};
    for (const QString& p : pieces) {
        if (!lines.back().isEmpty() && metrics.horizontalAdvance(lines.back() + p) > width) lines << QString();
        lines.back() += p;
    }
    for (QString& line : lines) line = line.trimmed();
    return lines.join(QLatin1Char('\n'));
}
} // namespace

Figure::Figure(const FigureHeader& header, const FigurePanel& panel) {
    const QSizeF canvas(1280, 720);
    m_scene.setSceneRect(QRectF(QPointF(0, 0), canvas));
    m_scene.setBackgroundBrush(m_style.colors.chartBackground);
    const qreal top = addHeader(header, canvas.width());
    addChart(panel, QRectF(kMargin / 2, top, canvas.width() - kMargin, canvas.height() - top - kMargin / 2), false);
}

Figure::Figure(const FigureHeader& header, const std::vector<FigurePanel>& panels,
               const std::vector<KeyFigure>& keyFigures) {
    const QSizeF canvas(1920, 1080);
    m_scene.setSceneRect(QRectF(QPointF(0, 0), canvas));
    m_scene.setBackgroundBrush(m_style.colors.chartBackground);
    const qreal top = addHeader(header, canvas.width());
    const int cells = static_cast<int>(panels.size()) + (keyFigures.empty() ? 0 : 1);
    const int columns = cells <= 4 ? 2 : cells <= 6 ? 3 : 4;
    const int rows = (cells + columns - 1) / columns;
    const qreal cellWidth = (canvas.width() - kMargin - (columns - 1) * kGap) / columns;
    const qreal cellHeight = (canvas.height() - top - kMargin / 2 - (rows - 1) * kGap) / rows;
    auto cellAt = [&](int i) {
        return QRectF(kMargin / 2 + (i % columns) * (cellWidth + kGap), top + (i / columns) * (cellHeight + kGap),
                      cellWidth, cellHeight);
    };
    // One time axis for every panel: a chart whose data ends earlier (sessions are polled once
    // a second) must not stretch its shorter run across the same width.
    double from = 0, to = 0;
    bool ranged = false;
    for (const FigurePanel& p : panels) {
        if (p.data.hasRange()) {
            from = ranged ? std::min(from, p.data.rangeFrom()) : p.data.rangeFrom();
            to = ranged ? std::max(to, p.data.rangeTo()) : p.data.rangeTo();
            ranged = true;
        } else if (!ranged) {
            to = std::max(to, p.data.latestTime());
        }
    }
    for (std::size_t i = 0; i < panels.size(); ++i) {
        FigurePanel shared = panels[i];
        if (to > from) shared.data.setRange(from, to);
        addChart(shared, cellAt(static_cast<int>(i)), true);
    }
    if (keyFigures.empty()) return;
    // The key figures take the rest of the last row: no empty cell beside them.
    const int keyCell = static_cast<int>(panels.size());
    const int lastInRow = (keyCell / columns + 1) * columns - 1;
    addKeyFigures(keyFigures, cellAt(keyCell).united(cellAt(lastInRow)));
}

qreal Figure::addHeader(const FigureHeader& header, qreal width) {
    const Theme& t = m_style.colors;
    // Whoever sees the slide can tell where it came from.
    auto* brand = addText(m_scene, QStringLiteral("StateLab"), pixelFont(20, true), QColor(0x2f6fde), QPointF());
    brand->setPos(width - kMargin - brand->boundingRect().width(), 30);
    const qreal beside = brand->pos().x() - kMargin - 24; // the title stays clear of the brand
    auto* title = addText(m_scene, wrapped(header.title, pixelFont(36, true), beside), pixelFont(36, true), t.text,
                          QPointF(kMargin, 22));
    qreal bottom = title->sceneBoundingRect().bottom();
    if (!header.subtitle.isEmpty()) {
        auto* subtitle = addText(m_scene, wrapped(header.subtitle, pixelFont(21), width - 2 * kMargin), pixelFont(21),
                                 t.mutedText, QPointF(kMargin, bottom + 4));
        bottom = subtitle->sceneBoundingRect().bottom();
    }
    auto* rule = m_scene.addRect(QRectF(kMargin, bottom + 12, width - 2 * kMargin, 2), Qt::NoPen, t.grid);
    return rule->rect().bottom() + 10;
}

void Figure::addChart(const FigurePanel& panel, const QRectF& cell, bool withTitle) {
    auto* chart = new ChartFigure(panel.spec);
    ChartStyle style = m_style;
    style.showTitle = withTitle;
    chart->setStyle(style);
    m_scene.addItem(chart);
    chart->setGeometry(cell);
    ChartData data = panel.data;
    data.setWindow(0); // the whole run
    data.setTight(true);
    chart->fitLegend(data, cell.width());
    // The layout computes the plot area (and from it the markers' places) on activation; off
    // screen nothing would trigger it before the render.
    chart->layout()->activate();
    chart->show(data, static_cast<int>(cell.width()));
    chart->layout()->activate();
    chart->show(data, static_cast<int>(chart->plotArea().width()));
}

void Figure::addKeyFigures(const std::vector<KeyFigure>& figures, const QRectF& cell) {
    const Theme& t = m_style.colors;
    m_scene.addRect(cell, QPen(t.grid, 2), t.chartBackground);
    addText(m_scene, QObject::tr("Key figures"), pixelFont(26, true), t.text, cell.topLeft() + QPointF(24, 18));
    const qreal rowHeight = std::min<qreal>(52, (cell.height() - 90) / std::max<std::size_t>(1, figures.size()));
    qreal y = cell.top() + 74;
    for (const KeyFigure& figure : figures) {
        auto* v = addText(m_scene, figure.value, pixelFont(24, true), figure.alarm ? QColor(0xd62728) : t.text, QPointF());
        v->setPos(cell.right() - 24 - v->boundingRect().width(), y - 1);
        // The label gets what the value leaves, in smaller type if it must: never under the value.
        const qreal room = v->pos().x() - 16 - (cell.left() + 24);
        int size = 22;
        while (size > 15 && QFontMetricsF(pixelFont(size)).horizontalAdvance(figure.label) > room) --size;
        const QString label = QFontMetricsF(pixelFont(size)).elidedText(figure.label, Qt::ElideRight, room);
        addText(m_scene, label, pixelFont(size), t.mutedText, QPointF(cell.left() + 24, y + (22 - size) / 2.0));
        y += rowHeight;
    }
}

void Figure::render(QPainter* painter, const QRectF& target) {
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::TextAntialiasing);
    m_scene.render(painter, target, m_scene.sceneRect(), Qt::IgnoreAspectRatio);
}

} // namespace statelab::gui
