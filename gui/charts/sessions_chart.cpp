#include "charts/sessions_chart.hpp"

#include "node_palette.hpp"

namespace statelab::gui {

SessionsChart::SessionsChart(QWidget* parent) : ChartViewBase({"sessions", tr("Active sessions per server"), tr("sessions"), timeSinceLaunchTitle()}, parent) {}

void SessionsChart::collect(ChartData& data, const Snapshot& snapshot) {
    if (!snapshot.nodes_polled) {
        data.setTitleNote(tr("not known: not the lab's own servers"));
        return;
    }
    for (const NodeSample& node : snapshot.nodes) {
        const QString name = QString::fromStdString(node.name);
        const int series = data.series(name, name, nodeColor(name));
        // A node that is down holds nothing; unknown (not polled yet) is simply not drawn.
        if (node.state == ProcessState::down || node.state == ProcessState::stopped)
            data.append(series, snapshot.t_s, 0);
        else if (node.sessions_active >= 0)
            data.append(series, snapshot.t_s, static_cast<double>(node.sessions_active));
    }
    // A shared store holds every session: its own line, so a node's kill does not look like
    // the loss of what only the store held.
    if (snapshot.store_sessions >= 0)
        data.append(data.series(QStringLiteral("redis"), tr("redis"), nodeColor(QStringLiteral("redis"))),
                    snapshot.t_s, static_cast<double>(snapshot.store_sessions));
}

} // namespace statelab::gui
