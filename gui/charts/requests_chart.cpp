#include "charts/requests_chart.hpp"

#include "node_palette.hpp"

namespace statelab::gui {

RequestsChart::RequestsChart(QWidget* parent) : ChartViewBase({"requests", tr("Requests per server"), tr("requests / s"), timeSinceLaunchTitle()}, parent) {}

void RequestsChart::collect(ChartData& data, const Snapshot& snapshot) {
    const double per_s = snapshot.interval_s > 0 ? 1.0 / snapshot.interval_s : 4.0;
    if (!snapshot.servers_known) {
        // Nobody said which server answered: one line for them all, and no guess per server.
        data.append(data.series(QStringLiteral("*"), tr("all servers"), nodeColor(QStringLiteral("*"))), snapshot.t_s,
                    snapshot.total.requests * per_s);
        data.setTitleNote(tr("which server answered: not known"));
        return;
    }
    for (const NodeSample& node : snapshot.nodes) {
        const QString name = QString::fromStdString(node.name);
        data.append(data.series(name, name, nodeColor(name)), snapshot.t_s, node.requests * per_s);
    }
    // Replicated mode: what each node sends its buddy, dashed in the node's colour (polled once
    // a second; nothing while the node is down). The axis says what dashed means: a legend
    // entry more would not fit under the plot.
    bool copies = false;
    for (const NodeSample& node : snapshot.nodes) {
        if (node.copies_per_s < 0) continue;
        const QString name = QString::fromStdString(node.name);
        SeriesInfo line;
        line.key = QStringLiteral("copies:") + name;
        line.label = tr("%1 copies").arg(name);
        line.color = nodeColor(name);
        line.dashed = true;
        line.inLegend = false;
        data.append(data.series(line), snapshot.t_s, node.copies_per_s);
        copies = true;
    }
    if (copies) data.setYTitle(tr("requests, copies (dashed) / s"));
    // How uneven the load is, over the last second: the busiest node against the mean.
    if (snapshot.imbalance > 0) {
        m_recentImbalance.push_back(snapshot.imbalance);
        if (m_recentImbalance.size() > 4) m_recentImbalance.pop_front();
    }
    if (!m_recentImbalance.empty()) {
        double sum = 0;
        for (double v : m_recentImbalance) sum += v;
        data.setTitleNote(tr("busiest node %1× the mean").arg(sum / static_cast<double>(m_recentImbalance.size()), 0, 'f', 1));
    }
}

} // namespace statelab::gui
