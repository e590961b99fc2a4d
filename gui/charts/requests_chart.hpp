#pragma once
// Requests per second per app server: where the balancer sends the load. In replicated mode
// also, dashed, the copies each node sends its buddy per second.
#include "charts/chart_view_base.hpp"

namespace statelab::gui {

class RequestsChart : public ChartViewBase {
    Q_OBJECT
public:
    explicit RequestsChart(QWidget* parent = nullptr);

protected:
    void collect(ChartData& data, const Snapshot& snapshot) override;
};

} // namespace statelab::gui
