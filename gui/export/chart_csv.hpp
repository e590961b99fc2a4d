#pragma once
// The numbers behind a chart, for a spreadsheet: `t_s,<series>,<series>...`, one row per
// interval, every point the chart holds (not the thinned one on screen).
#include "charts/chart_data.hpp"

#include <QByteArray>

namespace statelab::gui {

QByteArray chartCsv(const ChartData& data);

} // namespace statelab::gui
