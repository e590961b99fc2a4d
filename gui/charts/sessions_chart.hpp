#pragma once
// Sessions each app server holds in memory (its own /metrics): what a kill throws away.
#include "charts/chart_view_base.hpp"

namespace statelab::gui {

class SessionsChart : public ChartViewBase {
    Q_OBJECT
public:
    explicit SessionsChart(QWidget* parent = nullptr);

protected:
    void collect(ChartData& data, const Snapshot& snapshot) override;
};

} // namespace statelab::gui
