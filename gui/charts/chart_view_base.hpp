#pragma once
// What every live chart shares: a ChartData buffer fed one point per snapshot, a replot on a
// ~40 ms coalescing timer (never per request, never per snapshot burst), the time window, and
// the event markers. Subclasses only say which numbers of a snapshot they plot.
#include "charts/chart_data.hpp"
#include "charts/chart_figure.hpp"
#include "model/snapshot.hpp"
#include "theme.hpp"

#include <QChartView>
#include <QTimer>

namespace statelab::gui {

class ChartViewBase : public QChartView {
    Q_OBJECT
public:
    explicit ChartViewBase(const ChartSpec& spec, QWidget* parent = nullptr);
    ~ChartViewBase() override;

    // Appends this snapshot's points and markers; the replot follows within ~40 ms.
    void addSnapshot(const Snapshot& snapshot);
    void addMarker(double t_s, const QString& label, const QColor& color);
    // Shows `data` instead of what snapshots brought (a finished run, a comparison).
    void setData(ChartData data);
    void setWindow(double seconds); // 0 = whole run
    void clear();
    // Pushes the buffered window into the series now. The timer calls it; public for the benchmark.
    void replot();
    void applyTheme(const Theme& theme, double scale = 1.0); // scale: presentation mode's larger type
    // A lesson's "watch this chart": a coloured frame around it.
    void setHighlighted(bool on);
    bool isHighlighted() const { return m_highlighted; }

    const ChartData& data() const { return m_data; }
    const ChartSpec& spec() const { return m_figure->spec(); }
    // See ChartFigure::setLegendOptional: another key beside the chart names its lines whole.
    void setLegendOptional(bool optional) {
        m_figure->setLegendOptional(optional);
        m_figure->fitLegend(m_data, width());
    }
    QStringList markerLabels() const;
    QString title() const { return spec().title; }

protected:
    // Appends the snapshot's numbers to `data`. The base's is for views fed by setData().
    virtual void collect(ChartData& data, const Snapshot& snapshot) {}
    // A new run: drops whatever a subclass kept of the last one besides the data.
    virtual void forget() {}
    void resizeEvent(QResizeEvent* event) override;

private:
    void scheduleReplot();

    ChartFigure* m_figure;
    ChartData m_data;
    QTimer m_replotTimer;
    bool m_highlighted = false;
};

// x axis of the live charts: the run clock starts when the cluster is up.
QString timeSinceLaunchTitle();

} // namespace statelab::gui
