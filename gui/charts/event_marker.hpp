#pragma once
// A labelled vertical line on a chart: "kill node-2" at the moment it happened. A plain
// QGraphicsItem on the chart's scene, laid out by the view in plot coordinates on each replot.
#include <QColor>
#include <QFont>
#include <QGraphicsItem>
#include <QString>

#include <utility>

namespace statelab::gui {

class EventMarker : public QGraphicsItem {
public:
    EventMarker(const QString& text, const QColor& color, QGraphicsItem* parent = nullptr);

    QString text() const { return m_text; }
    // x in scene pixels; the line spans top..bottom; the label sits in `row` (0 = top) so
    // markers close together stack instead of overwriting each other.
    void place(qreal x, qreal top, qreal bottom, int row, qreal minLeft, qreal maxRight);
    void setStyle(const QFont& font, const QColor& labelBackground, qreal lineWidth = 2);
    qreal labelWidth() const;
    // Where the label would sit for a line at `x`: right of it, or left when it would pass maxRight.
    std::pair<qreal, qreal> labelExtent(qreal x, qreal minLeft, qreal maxRight) const;
    QRectF labelSceneRect() const; // where the label box is drawn, in scene coordinates
    // No room for the label in any row: the line alone (its text in the tooltip), rather than
    // a label over another one.
    void setLabelShown(bool shown);
    bool labelShown() const { return m_labelShown; }

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    QString m_text;
    QColor m_color;
    QColor m_labelBackground;
    QFont m_font;
    qreal m_lineWidth = 2;
    qreal m_height = 0;
    qreal m_labelTop = 0;
    qreal m_labelOffset = 3; // label to the right of the line, or left when it would overflow
    bool m_labelShown = true;
};

} // namespace statelab::gui
