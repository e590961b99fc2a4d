#pragma once
// The number the lab exists to show, on its own scale while it happens: sessions lost so far
// (and session misses so far), not a thin line at the foot of a 4,000/s axis.
#include "charts/chart_view_base.hpp"

namespace statelab::gui {

class LostSessionsChart : public ChartViewBase {
    Q_OBJECT
public:
    explicit LostSessionsChart(QWidget* parent = nullptr);

protected:
    void collect(ChartData& data, const Snapshot& snapshot) override;
};

} // namespace statelab::gui
