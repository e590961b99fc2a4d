#include "charts/event_marker.hpp"

#include <algorithm>
#include <QFontMetricsF>
#include <QPainter>

namespace statelab::gui {

EventMarker::EventMarker(const QString& text, const QColor& color, QGraphicsItem* parent)
    : QGraphicsItem(parent), m_text(text), m_color(color), m_labelBackground(Qt::white) {
    setZValue(10); // above the series
}

void EventMarker::setStyle(const QFont& font, const QColor& labelBackground, qreal lineWidth) {
    prepareGeometryChange();
    m_font = font;
    m_lineWidth = lineWidth;
    m_labelBackground = labelBackground;
    update();
}

qreal EventMarker::labelWidth() const { return QFontMetricsF(m_font).horizontalAdvance(m_text) + 8; }

std::pair<qreal, qreal> EventMarker::labelExtent(qreal x, qreal minLeft, qreal maxRight) const {
    // Right of its line; left of it near the right edge; where neither fits (a narrow chart),
    // from the plot's left edge: never over the y axis's numbers.
    const qreal w = labelWidth();
    if (x + 3 + w <= maxRight) return {x + 3, x + 3 + w};
    const qreal left = std::max(minLeft, x - 3 - w);
    return {left, left + w};
}

QRectF EventMarker::labelSceneRect() const {
    return mapRectToScene(QRectF(m_labelOffset, m_labelTop, labelWidth(), QFontMetricsF(m_font).height() + 2));
}

void EventMarker::place(qreal x, qreal top, qreal bottom, int row, qreal minLeft, qreal maxRight) {
    prepareGeometryChange();
    setPos(x, top);
    m_height = bottom - top;
    const qreal rowHeight = QFontMetricsF(m_font).height() + 4;
    m_labelTop = 2 + row * rowHeight;
    m_labelOffset = labelExtent(x, minLeft, maxRight).first - x;
}

void EventMarker::setLabelShown(bool shown) {
    if (shown == m_labelShown) return;
    m_labelShown = shown;
    setToolTip(shown ? QString() : m_text);
    update();
}

QRectF EventMarker::boundingRect() const {
    const qreal w = labelWidth();
    const qreal left = std::min<qreal>(-2, m_labelOffset);
    const qreal right = std::max<qreal>(2, m_labelOffset + w);
    return QRectF(left, 0, right - left, std::max(m_height, m_labelTop + QFontMetricsF(m_font).height() + 4));
}

void EventMarker::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    painter->setRenderHint(QPainter::Antialiasing, false);
    QPen pen(m_color, m_lineWidth, Qt::DashLine);
    painter->setPen(pen);
    painter->drawLine(QPointF(0, 0), QPointF(0, m_height));
    if (!m_labelShown) return;

    painter->setFont(m_font);
    const QFontMetricsF metrics(m_font);
    const QRectF box(m_labelOffset, m_labelTop, labelWidth(), metrics.height() + 2);
    QColor background = m_labelBackground;
    background.setAlpha(225);
    painter->setPen(QPen(m_color, 1));
    painter->setBrush(background);
    painter->drawRoundedRect(box, 3, 3);
    painter->setPen(m_color.darker(m_labelBackground.lightness() > 128 ? 130 : 60));
    painter->drawText(box, Qt::AlignCenter, m_text);
}

} // namespace statelab::gui
