#include "event_text.hpp"

namespace statelab::gui {

namespace {
QString arrows(const std::string& text) {
    return QString::fromStdString(text).replace(QLatin1String(" -> "), QStringLiteral(" → "));
}
// A change of the traffic's settings: its detail ("users 300 -> 600") is its marker already. A
// failed `set` of a timeline is logged as a node action with target "cluster".
bool setsTraffic(const Event& event) {
    return event.kind == EventKind::traffic_set || is_node_action(event, Action::set);
}
} // namespace

bool eventIsMarker(const Event& event) { return event.kind != EventKind::launch; }

QString eventMarkerText(const Event& event) {
    const QString target = QString::fromStdString(event.target);
    switch (event.kind) {
    case EventKind::traffic_set:
        if (!event.detail.empty()) return arrows(event.detail);
        break;
    case EventKind::traffic_start: return QStringLiteral("traffic on");
    case EventKind::traffic_stop: return QStringLiteral("traffic off"); // one name for the end of traffic
    case EventKind::store_back: return QStringLiteral("store back after %1 s").arg(event.duration_s, 0, 'f', 1);
    case EventKind::failover: return QStringLiteral("failover → %1").arg(target);
    // The balancer's own view (BalancerWatch): it took a node out or back, or ran out of connections.
    case EventKind::balancer_down: return QStringLiteral("%1 DOWN").arg(target);
    case EventKind::balancer_up: return QStringLiteral("%1 UP").arg(target);
    case EventKind::balancer_full: return QStringLiteral("balancer full");
    case EventKind::balancer_moved: return QStringLiteral("%1 redispatched").arg(target);
    default: break;
    }
    const QString action = QString::fromLatin1(event_action_name(event));
    return target.isEmpty() ? action : action + QLatin1Char(' ') + target;
}

QString eventLogText(const Event& event) {
    if (event.kind == EventKind::traffic_start) return QStringLiteral("traffic on: %1").arg(QString::fromStdString(event.detail));
    if (event.kind == EventKind::launch) return QStringLiteral("cluster launched: %1").arg(QString::fromStdString(event.detail));
    QString text = eventMarkerText(event);
    if (!event.detail.empty() && !setsTraffic(event)) text += QStringLiteral(" (%1)").arg(arrows(event.detail));
    return text;
}

QColor eventColor(const Event& event) {
    const QColor harm(0xd62728), hurt(0xe67e00), recovery(0x2e9d4a), traffic(0x2f6fde);
    switch (event.kind) {
    case EventKind::node_action:
        switch (event.action) {
        case Action::kill:
        case Action::remove: return harm;
        case Action::stop:
        case Action::pause: return hurt;
        case Action::restart:
        case Action::resume:
        case Action::add: return recovery;
        case Action::set:
        case Action::run: return traffic;
        }
        return traffic;
    case EventKind::traffic_stop:
    case EventKind::balancer_down:
    case EventKind::balancer_moved:
    case EventKind::balancer_full: return hurt;
    case EventKind::launch:
    case EventKind::store_back:
    case EventKind::failover:
    case EventKind::balancer_up: return recovery;
    case EventKind::attach:
    case EventKind::new_run:
    case EventKind::shutdown:
    case EventKind::traffic_start:
    case EventKind::traffic_set: return traffic; // traffic changes, and the cluster's own comings and goings
    }
    return traffic;
}

} // namespace statelab::gui
