#pragma once
// One process of the cluster at a glance: its colour (the same as its chart lines), its state
// in colour, its load, and the buttons that break it.
#include "model/node_status.hpp"
#include "model/snapshot.hpp"
#include "theme.hpp"

#include <QFrame>

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

class QLabel;
class QPushButton;

namespace statelab::gui {

class NodeTile : public QFrame {
    Q_OBJECT
public:
    NodeTile(const QString& name, ProcessKind kind, QWidget* parent = nullptr);

    // `sample` is null for the balancer; Redis gets one with only the store's sessions.
    void update(const NodeStatus& status, const NodeSample* sample, double intervalSeconds);
    void applyTheme(const Theme& theme);
    // What the process is, after its name: "app server", or the balancer's kind and policy.
    void setKindText(const QString& text);
    // A server the lab did not start: only the verbs with a command (the scenario's "actions")
    // are enabled; the others say why in their tooltip instead of failing mid-talk.
    void setCommands(std::set<std::string> verbs);
    // Type size relative to the tile's own (presentation mode: larger).
    void setTextScale(double scale);
    // The balancer's tile: what it does now ("2,950 req/s · node-2 out"), shown on its next update.
    void setBalancerLine(const QString& line) { m_balancerLine = line; }
    QString kindText() const { return m_kindText; }

    QString name() const { return m_name; }
    QString stateText() const; // "up", "down", ...
    ProcessState state() const { return m_state; }
    int pid() const { return m_pid; }
    QPushButton* button(const QString& action) const; // kill, stop, pause, restart

signals:
    void actionRequested(const QString& action, const QString& target);

private:
    QString m_name;
    ProcessKind m_kind;
    QString m_kindText;
    ProcessState m_state = ProcessState::starting;
    int m_pid = 0;
    std::optional<std::set<std::string>> m_commands; // nothing: the lab's own process
    QString m_balancerLine;
    std::vector<std::pair<QWidget*, qreal>> m_baseSizes; // each part's point size at scale 1
    QLabel* m_title;
    QLabel* m_badge;
    QLabel* m_metrics;
    QPushButton* m_kill;
    QPushButton* m_stop;
    QPushButton* m_pause;
    QPushButton* m_restart;
};

QColor stateColor(ProcessState state);

} // namespace statelab::gui
