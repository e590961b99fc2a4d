#pragma once
// Failed requests per second by kind: what users feel while a node dies or hangs.
#include "charts/chart_view_base.hpp"

namespace statelab::gui {

class FailuresChart : public ChartViewBase {
    Q_OBJECT
public:
    explicit FailuresChart(QWidget* parent = nullptr);

protected:
    void collect(ChartData& data, const Snapshot& snapshot) override;
};

} // namespace statelab::gui
