#pragma once
// Requests per second per app server: where the balancer sends the load. In replicated mode
// also, dashed, the copies each node sends its buddy per second.
#include "charts/chart_view_base.hpp"

#include <deque>

namespace statelab::gui {

class RequestsChart : public ChartViewBase {
    Q_OBJECT
public:
    explicit RequestsChart(QWidget* parent = nullptr);

protected:
    void collect(ChartData& data, const Snapshot& snapshot) override;
    void forget() override { m_recentImbalance.clear(); }

private:
    std::deque<double> m_recentImbalance; // the last second's intervals
};

} // namespace statelab::gui
