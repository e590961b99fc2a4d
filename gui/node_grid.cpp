#include "node_grid.hpp"

#include "node_tile.hpp"
#include "run_tally.hpp"

#include <QApplication>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace statelab::gui {

namespace {
constexpr int kTileMinWidth = 280;
constexpr int kVisibleRows = 2; // more rows scroll: the charts keep their room

// node-2 before node-10, then the balancer, then Redis (its replica, its sentinels): the order
// of the request path.
int sortKey(const NodeStatus& s) {
    const auto number = [&](std::size_t prefix) { return s.name.size() > prefix ? std::atoi(s.name.c_str() + prefix) : 0; };
    switch (s.kind) {
    case ProcessKind::backend: return number(5);
    case ProcessKind::balancer: return 1000;
    case ProcessKind::redis: return 2000;
    case ProcessKind::redis_replica: return 2100 + number(14);
    case ProcessKind::sentinel: return 2200 + number(9);
    }
    return 3000;
}
// The balancer's own view on its tile: the requests it passes and the servers it took out.
QString balancerLine(const Snapshot& snapshot) {
    if (snapshot.balancer_backends.empty()) return {};
    const double perSecond = snapshot.interval_s > 0 ? static_cast<double>(snapshot.total.requests) / snapshot.interval_s : 0;
    QStringList out;
    for (const auto& b : snapshot.balancer_backends)
        if (!b.up) out << QString::fromStdString(b.name);
    const int up = static_cast<int>(snapshot.balancer_backends.size()) - static_cast<int>(out.size());
    const QString sends = out.isEmpty() ? NodeGrid::tr("sends to all %1").arg(up)
                                        : NodeGrid::tr("%1 out").arg(out.join(QStringLiteral(", ")));
    return NodeGrid::tr("%1 req/s · %2").arg(formatCount(static_cast<std::uint64_t>(perSecond)), sends);
}
} // namespace

NodeGrid::NodeGrid(QWidget* parent)
    : QWidget(parent), m_container(new QWidget), m_layout(new QGridLayout(m_container)), m_scroll(new QScrollArea),
      m_placeholder(new QLabel(tr("No cluster yet: pick a mode under Lab controls (the tab beside Lessons, on the left) and press Launch."))),
      m_add(new QPushButton(tr("Add node"))), m_remove(new QPushButton(tr("Remove node"))) {
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(8);
    m_scroll->setWidget(m_container);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_placeholder->setAlignment(Qt::AlignCenter);

    m_add->setToolTip(tr("Start one more app server and add it to the balancer"));
    m_remove->setToolTip(tr("Take the newest app server out of the balancer and stop it"));
    auto* header = new QHBoxLayout;
    auto* title = new QLabel(tr("<b>Cluster</b> — every process is real; break one and watch the charts"));
    header->addWidget(title, 1);
    header->addWidget(m_add);
    header->addWidget(m_remove);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addLayout(header);
    layout->addWidget(m_placeholder);
    layout->addWidget(m_scroll);
    m_scroll->hide();

    connect(m_add, &QPushButton::clicked, this, [this] { emit actionRequested(QStringLiteral("add"), QString()); });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        // The newest app server still present: the inverse of Add.
        for (auto it = m_tiles.rbegin(); it != m_tiles.rend(); ++it)
            if ((*it)->name().startsWith(QLatin1String("node-"))) {
                emit actionRequested(QStringLiteral("remove"), (*it)->name());
                return;
            }
    });
    setClusterUp(false);
}

void NodeGrid::setCommands(std::optional<std::map<std::string, std::set<std::string>>> commands) {
    m_commands = std::move(commands);
}

void NodeGrid::setTextScale(double scale) {
    m_textScale = scale;
    for (NodeTile* t : m_tiles) t->setTextScale(scale);
    // Laid out again once the new type has given the tiles their new height.
    QTimer::singleShot(0, this, [this] {
        m_columns = 0;
        reflow();
    });
}

NodeTile* NodeGrid::tile(const QString& name) const {
    for (NodeTile* t : m_tiles)
        if (t->name() == name) return t;
    return nullptr;
}

void NodeGrid::setClusterUp(bool up) {
    m_add->setEnabled(up);
    m_remove->setEnabled(up);
}

void NodeGrid::update(const Snapshot& snapshot) {
    std::vector<NodeStatus> processes = snapshot.processes;
    std::stable_sort(processes.begin(), processes.end(),
                     [](const NodeStatus& a, const NodeStatus& b) { return sortKey(a) < sortKey(b); });
    bool changed = processes.size() != m_tiles.size();
    for (std::size_t i = 0; !changed && i < processes.size(); ++i)
        changed = m_tiles[i]->name() != QString::fromStdString(processes[i].name);
    if (changed) {
        std::vector<NodeTile*> tiles;
        for (const NodeStatus& status : processes) {
            const QString name = QString::fromStdString(status.name);
            NodeTile* t = tile(name);
            if (!t) {
                t = new NodeTile(name, status.kind, m_container);
                t->applyTheme(m_theme);
                t->setTextScale(m_textScale);
                if (status.kind == ProcessKind::balancer && !m_balancerText.isEmpty()) t->setKindText(m_balancerText);
                connect(t, &NodeTile::actionRequested, this, &NodeGrid::actionRequested);
                if (m_commands) {
                    const auto it = m_commands->find(status.name);
                    t->setCommands(it == m_commands->end() ? std::set<std::string>{} : it->second);
                }
            }
            tiles.push_back(t);
        }
        for (NodeTile* old : m_tiles)
            if (std::find(tiles.begin(), tiles.end(), old) == tiles.end()) old->deleteLater();
        m_tiles = std::move(tiles);
        m_columns = 0; // force a re-layout
        reflow();
    }
    NodeSample store;
    store.name = "redis";
    store.sessions_active = snapshot.store_sessions;
    const bool replicated = std::any_of(processes.begin(), processes.end(),
                                        [](const NodeStatus& p) { return p.kind == ProcessKind::redis_replica; });
    for (std::size_t i = 0; i < processes.size(); ++i) {
        const NodeSample* sample = nullptr;
        for (const NodeSample& s : snapshot.nodes)
            if (s.name == processes[i].name) sample = &s;
        const std::string& name = processes[i].name;
        const bool primary = name == snapshot.store_primary;
        // The sessions are counted on the store that takes the writes (the nodes ask it).
        if (is_store_process(name) && snapshot.store_sessions >= 0 && (primary || !replicated)) sample = &store;
        // shared-store-ha: which one is primary changes with a failover; the tiles follow.
        if (replicated && is_store_process(name))
            m_tiles[i]->setKindText(primary ? tr("Redis primary") : tr("Redis replica"));
        if (processes[i].kind == ProcessKind::balancer) m_tiles[i]->setBalancerLine(balancerLine(snapshot));
        m_tiles[i]->update(processes[i], sample, snapshot.interval_s);
    }
}

void NodeGrid::clear() {
    for (NodeTile* t : m_tiles) t->deleteLater();
    m_tiles.clear();
    m_columns = 0;
    reflow();
}

void NodeGrid::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    reflow();
}

void NodeGrid::reflow() {
    m_placeholder->setVisible(m_tiles.empty());
    m_scroll->setVisible(!m_tiles.empty());
    const int available = std::max(1, m_scroll->viewport()->width() > 50 ? m_scroll->viewport()->width() : width());
    // Larger type (F11) needs wider tiles: fewer in a row, each with room for its buttons.
    const int columns = std::clamp(available / static_cast<int>(kTileMinWidth * m_textScale), 1, 8);
    if (columns == m_columns) return;
    m_columns = columns;
    for (NodeTile* t : m_tiles) m_layout->removeWidget(t);
    for (int c = 0; c < 8; ++c) m_layout->setColumnStretch(c, c < columns ? 1 : 0);
    for (std::size_t i = 0; i < m_tiles.size(); ++i)
        m_layout->addWidget(m_tiles[i], static_cast<int>(i) / columns, static_cast<int>(i) % columns);
    const int rows = static_cast<int>((m_tiles.size() + columns - 1) / columns);
    const int tileHeight = m_tiles.empty() ? 0 : m_tiles.front()->sizeHint().height();
    const int shown = std::min(rows, kVisibleRows);
    m_scroll->setFixedHeight(std::max(0, shown * tileHeight + (shown - 1) * m_layout->spacing()) + 2);
}

void NodeGrid::setBalancerText(const QString& text) {
    m_balancerText = text;
    for (NodeTile* t : m_tiles)
        if (t->name() == QLatin1String("balancer")) t->setKindText(text);
}

void NodeGrid::applyTheme(const Theme& theme) {
    m_theme = theme;
    for (NodeTile* t : m_tiles) t->applyTheme(theme);
}

} // namespace statelab::gui
