#pragma once
// A chart drawn from a ChartData: lines, axes on round numbers, labelled event markers, legend.
// The live views show one on screen; exports build another, in the presentation style, in an
// off-screen scene — so a slide shows exactly what the window shows, only larger.
#include "charts/chart_data.hpp"
#include "theme.hpp"

#include <QChart>
#include <QFont>

#include <vector>

class QLineSeries;
class QValueAxis;

namespace statelab::gui {

class EventMarker;

// What a chart is about, apart from its data.
struct ChartSpec {
    QString key;    // file-name friendly: "requests", "latency"
    QString title;  // "Requests per server"
    QString yTitle; // with units: "requests / s"
    QString xTitle; // with units
    int minDecimals = 0;
};

struct ChartStyle {
    Theme colors;
    QFont title, axisLabels, axisTitle, legend, marker;
    qreal lineWidth = 2, emphasisWidth = 3, markerLineWidth = 2;
    bool showTitle = true;
};

// A font sized in pixels of the figure it is drawn in: scales with the figure, on any device.
QFont pixelFont(int size, bool bold = false);

// The window's look: point sizes that follow the desktop, lines readable across a room.
// `scale` > 1: larger type and lines for presentation mode (read from the back of a room).
ChartStyle screenStyle(const Theme& theme, double scale = 1.0);
// For slides: light background, large type, thick lines. Sizes in pixels of a 1280x720 figure
// (pixel-sized fonts scale with the figure to 3840x2160, SVG and PDF alike).
ChartStyle presentationStyle();

class ChartFigure : public QChart {
    Q_OBJECT
public:
    explicit ChartFigure(const ChartSpec& spec, QGraphicsItem* parent = nullptr);
    ~ChartFigure() override;

    void setStyle(const ChartStyle& style);
    // Draws the data's current window with at most `maxPoints` points per series.
    void show(const ChartData& data, int maxPoints);
    // Legend under the plot when every name fits `width`, else on the right; with
    // setLegendOptional, none rather than one with names cut.
    void fitLegend(const ChartData& data, qreal width);
    // Another key beside the chart names every line whole (Compare's key figures): a legend
    // that cannot show its names whole is left out instead of cut ("shared-store · 19:...").
    void setLegendOptional(bool optional) { m_legendOptional = optional; }
    void setXTitleShort(bool shortTitle);
    QString legendName(const SeriesInfo& info) const;

    const ChartSpec& spec() const { return m_spec; }
    qsizetype visiblePoints() const { return m_visible; }

private:
    QLineSeries* lineFor(const SeriesInfo& info, std::size_t index);
    // Pieces 2, 3... of series `index` after gaps (no answers: no latency), in its pen, without
    // a legend entry of their own.
    QLineSeries* segmentFor(std::size_t index, std::size_t piece);
    QPen penFor(const QColor& color, bool emphasis, bool dashed) const;
    void applyTitle(); // the spec's title, with the data's note under it
    void syncMarkers(const std::vector<Marker>& markers);
    void layoutMarkers();
    // Each marker's label row (-1: out of view, or no room) into `rows` if given; returns the
    // rows the labels take.
    int placeLabels(std::vector<int>* rows) const;
    qreal labelRightLimit() const;
    void fitMarkerFont();

    ChartSpec m_spec;
    ChartStyle m_style;
    QValueAxis* m_x;
    QValueAxis* m_y;
    std::vector<QLineSeries*> m_lines;
    bool m_shortNames = false; // the legend shows each series' shortLabel: the whole ones did not fit
    bool m_legendOptional = false;
    QFont m_markerFont;        // the style's marker font, smaller in a narrow plot (fitMarkerFont)
    std::vector<bool> m_emphasis; // per line: drawn thicker
    std::vector<bool> m_dashed;   // per line: dashed
    QString m_titleNote;
    std::vector<std::vector<QLineSeries*>> m_segments; // per line: its pieces after the first gap
    std::vector<EventMarker*> m_markers;
    std::vector<double> m_markerTimes;
    std::vector<int> m_markerRows; // preferred label row of each marker
    double m_xMin = 0, m_xMax = 20;
    qsizetype m_visible = 0;
};

} // namespace statelab::gui
