#include "current_run.hpp"

#include "engine_bridge.hpp"
#include "scenario_slot.hpp"

#include <QStringList>

namespace statelab::gui {

void CurrentRun::begin(const ClusterSettings& launched, bool playsScenario) {
    m_launched = launched;
    m_playsScenario = playsScenario;
    reset();
}

void CurrentRun::beginOnSameCluster() {
    m_playsScenario = false;
    reset();
}

void CurrentRun::reset() {
    m_trafficStarted = false;
    m_storyDone = 0;
    m_sealCountdown = 0;
    m_customName.clear();
    m_chosenRange.reset();
    m_launchedAt = QDateTime::currentDateTime();
}

QDateTime CurrentRun::startedAt() const { return m_launchedAt.isValid() ? m_launchedAt : QDateTime::currentDateTime(); }

bool CurrentRun::storyMoved(std::size_t done) {
    if (done == m_storyDone) return false;
    m_storyDone = done;
    return true;
}

bool CurrentRun::sealDue() { return m_sealCountdown > 0 && --m_sealCountdown == 0; }

QString CurrentRun::name() const {
    if (!m_customName.isEmpty()) return m_customName;
    if (m_playsScenario && m_scenario.loaded()) return QString::fromStdString(m_scenario.loaded()->name);
    QStringList done;
    for (const TimelineAction& a : m_bridge.recorded(Scenario{}).timeline) {
        if (a.action == Action::set) continue;
        const QString what = QString::fromStdString(action_name(a.action) + (a.target.empty() ? "" : " " + a.target));
        if (!done.contains(what)) done << what;
    }
    if (done.size() > 3) done = done.mid(0, 3) << tr("…");
    QStringList parts{QString::fromLatin1(mode_name(m_launched.mode)), tr("%n nodes", nullptr, m_launched.nodes)};
    if (m_launched.balancer == BalancerKind::haproxy) parts << QStringLiteral("HAProxy");
    parts << (done.isEmpty() ? tr("no failure") : done.join(QStringLiteral(", ")));
    parts << startedAt().toString(QStringLiteral("HH:mm"));
    return parts.join(QStringLiteral(" · "));
}

} // namespace statelab::gui
