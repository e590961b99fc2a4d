#pragma once
// Latency quantiles of all requests: a paused node shows up here first.
#include "charts/chart_view_base.hpp"

namespace statelab::gui {

class LatencyChart : public ChartViewBase {
    Q_OBJECT
public:
    explicit LatencyChart(QWidget* parent = nullptr);

protected:
    void collect(ChartData& data, const Snapshot& snapshot) override;
};

} // namespace statelab::gui
