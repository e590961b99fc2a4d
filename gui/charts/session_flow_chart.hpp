#pragma once
// Session hits, misses and lost sessions per second, as the virtual users saw them.
#include "charts/chart_view_base.hpp"

namespace statelab::gui {

class SessionFlowChart : public ChartViewBase {
    Q_OBJECT
public:
    explicit SessionFlowChart(QWidget* parent = nullptr);

protected:
    void collect(ChartData& data, const Snapshot& snapshot) override;
};

} // namespace statelab::gui
