#pragma once
// What every live chart shares: a ChartData buffer fed one point per snapshot, a replot on a
// ~40 ms coalescing timer (never per request, never per snapshot burst), the time window, and
// the event markers. Subclasses only say which numbers of a snapshot they plot.
#include "charts/chart_data.hpp"
#include "model/snapshot.hpp"
#include "theme.hpp"

#include <QChartView>
#include <QTimer>

#include <vector>

class QChart;
class QLineSeries;
class QValueAxis;

namespace statelab::gui {

class EventMarker;

class ChartViewBase : public QChartView {
    Q_OBJECT
public:
    ChartViewBase(const QString& title, const QString& yTitle, QWidget* parent = nullptr);
    ~ChartViewBase() override;

    // Appends this snapshot's points and markers; the replot follows within ~40 ms.
    void addSnapshot(const Snapshot& snapshot);
    void addMarker(double t_s, const QString& label, const QColor& color);
    void setWindow(double seconds); // 0 = whole run
    void clear();
    // Pushes the buffered window into the series now. The timer calls it; public for the benchmark.
    void replot();
    void applyTheme(const Theme& theme);

    const ChartData& data() const { return m_data; }
    QStringList markerLabels() const;
    QString title() const { return m_title; }

protected:
    virtual void collect(ChartData& data, const Snapshot& snapshot) = 0;
    void setMinimumDecimals(int decimals); // y labels; more when the step needs them
    void resizeEvent(QResizeEvent* event) override;

private:
    void scheduleReplot();
    void layoutMarkers();
    void fitLegend();
    QLineSeries* lineFor(std::size_t index);

    QString m_title;
    QChart* m_chart;
    QValueAxis* m_x;
    QValueAxis* m_y;
    ChartData m_data;
    ChartData::View m_view;
    std::vector<QLineSeries*> m_lines;
    std::vector<EventMarker*> m_markers;
    QTimer m_replotTimer;
    Theme m_theme;
    int m_minDecimals = 0;
    QString m_xTitleLong, m_xTitleShort;
};

} // namespace statelab::gui
