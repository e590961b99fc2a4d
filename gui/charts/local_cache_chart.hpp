#pragma once
// sticky-cached: the share of each server's session reads answered from its own local cache
// (its /metrics, polled once a second). High under sticky routing, low under round-robin.
#include "charts/chart_view_base.hpp"

namespace statelab::gui {

class LocalCacheChart : public ChartViewBase {
    Q_OBJECT
public:
    explicit LocalCacheChart(QWidget* parent = nullptr);

protected:
    void collect(ChartData& data, const Snapshot& snapshot) override;
};

} // namespace statelab::gui
