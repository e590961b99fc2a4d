#pragma once
// Bytes of session state per server (each node's /metrics; with a shared store, Redis's used
// memory on its own line): what bloated sessions cost where they live. The title says what
// every request carries in its headers, which is where a client token keeps the state.
#include "charts/chart_view_base.hpp"

namespace statelab::gui {

class SessionStateChart : public ChartViewBase {
    Q_OBJECT
public:
    explicit SessionStateChart(QWidget* parent = nullptr);

protected:
    void collect(ChartData& data, const Snapshot& snapshot) override;
};

} // namespace statelab::gui
