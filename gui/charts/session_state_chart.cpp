#include "charts/session_state_chart.hpp"

#include "node_palette.hpp"

namespace statelab::gui {

SessionStateChart::SessionStateChart(QWidget* parent)
    : ChartViewBase({"session-state", tr("Session state per server"), tr("KB"), timeSinceLaunchTitle()}, parent) {}

void SessionStateChart::collect(ChartData& data, const Snapshot& snapshot) {
    constexpr double kb = 1024.0;
    for (const NodeSample& node : snapshot.nodes) {
        const QString name = QString::fromStdString(node.name);
        const int series = data.series(name, name, nodeColor(name));
        if (node.state == ProcessState::down || node.state == ProcessState::stopped)
            data.append(series, snapshot.t_s, 0);
        else if (node.state_bytes >= 0)
            data.append(series, snapshot.t_s, static_cast<double>(node.state_bytes) / kb);
    }
    if (snapshot.store_state_bytes >= 0)
        data.append(data.series(QStringLiteral("redis"), tr("redis (used memory)"), nodeColor(QStringLiteral("redis"))),
                    snapshot.t_s, static_cast<double>(snapshot.store_state_bytes) / kb);
    if (snapshot.total.requests > 0)
        data.setTitleNote(tr("%1 KB of headers per request")
                              .arg(static_cast<double>(snapshot.total.header_bytes) / kb /
                                       static_cast<double>(snapshot.total.requests), 0, 'f', 1));
}

} // namespace statelab::gui
