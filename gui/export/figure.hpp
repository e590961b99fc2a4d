#pragma once
// A figure for a slide or a report: a header (title, subtitle) over one chart, or over every
// chart of a run plus its key figures (the dashboard). Built in an off-screen scene in the
// presentation style, so it renders the same to PNG at any size, SVG and PDF.
#include "charts/chart_figure.hpp"

#include <QGraphicsScene>
#include <QString>

#include <memory>
#include <vector>

class QPainter;

namespace statelab::gui {

struct FigureHeader {
    QString title;    // the scenario: "sticky: kill node-2"
    QString subtitle; // "sticky cookie · 3 nodes · 2026-11-23 10:41"
};

// One line of a run's key figures: "Lost sessions  88", red when it is bad news.
struct KeyFigure {
    QString label;
    QString value;
    bool alarm = false;
};

struct FigurePanel {
    ChartSpec spec;
    ChartData data; // drawn whole (every second of the run), whatever window the view shows
};

class Figure {
public:
    // One chart on a 1280x720 canvas.
    Figure(const FigureHeader& header, const FigurePanel& panel);
    // Every chart in a grid on a 1920x1080 canvas; `keyFigures` fill the last cell.
    Figure(const FigureHeader& header, const std::vector<FigurePanel>& panels,
           const std::vector<KeyFigure>& keyFigures);

    QSizeF size() const { return m_scene.sceneRect().size(); }
    const QGraphicsScene& scene() const { return m_scene; } // for tests: what is drawn where
    // Paints the whole figure scaled into `target` (vector: text and lines stay sharp).
    void render(QPainter* painter, const QRectF& target);

private:
    qreal addHeader(const FigureHeader& header, qreal width); // returns the header's height
    void addChart(const FigurePanel& panel, const QRectF& cell, bool withTitle);
    void addKeyFigures(const std::vector<KeyFigure>& figures, const QRectF& cell);

    QGraphicsScene m_scene;
    ChartStyle m_style = presentationStyle();
};

} // namespace statelab::gui
