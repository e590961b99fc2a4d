#include "event_text.hpp"

namespace statelab::gui {

namespace {
QString arrows(const std::string& text) {
    return QString::fromStdString(text).replace(QLatin1String(" -> "), QStringLiteral(" → "));
}
} // namespace

bool eventIsMarker(const Event& event) { return event.action != "launch"; }

QString eventMarkerText(const Event& event) {
    const QString action = QString::fromStdString(event.action);
    const QString target = QString::fromStdString(event.target);
    if (event.target == "traffic") {
        if (event.action == "set" && !event.detail.empty()) return arrows(event.detail);
        if (event.action == "start") return QStringLiteral("traffic on");
        if (event.action == "stop") return QStringLiteral("traffic off"); // one name for the end of traffic
    }
    if (event.action == "store-back") return QStringLiteral("store back after %1 s").arg(event.duration_s, 0, 'f', 1);
    if (event.action == "failover") return QStringLiteral("failover → %1").arg(target);
    // The balancer's own view (BalancerWatch): it took a node out or back, or ran out of connections.
    if (event.action == "down") return QStringLiteral("%1 DOWN").arg(target);
    if (event.action == "up") return QStringLiteral("%1 UP").arg(target);
    if (event.action == "full") return QStringLiteral("balancer full");
    return target.isEmpty() ? action : action + QLatin1Char(' ') + target;
}

QString eventLogText(const Event& event) {
    if (event.target == "traffic" && event.action == "start")
        return QStringLiteral("traffic on: %1").arg(QString::fromStdString(event.detail));
    if (event.action == "launch")
        return QStringLiteral("cluster launched: %1").arg(QString::fromStdString(event.detail));
    QString text = eventMarkerText(event);
    if (!event.detail.empty() && event.action != "set") text += QStringLiteral(" (%1)").arg(arrows(event.detail));
    return text;
}

QColor eventColor(const Event& event) {
    const std::string& a = event.action;
    if (a == "kill" || a == "error" || a == "remove") return QColor(0xd62728);
    if (a == "stop" || a == "pause" || a == "down" || a == "full") return QColor(0xe67e00);
    if (a == "restart" || a == "resume" || a == "add" || a == "launch" || a == "store-back" || a == "failover" || a == "up")
        return QColor(0x2e9d4a);
    return QColor(0x2f6fde); // traffic changes
}

} // namespace statelab::gui
