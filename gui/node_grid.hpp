#pragma once
// The cluster's processes as a wrapping grid of tiles (app servers, then balancer and Redis),
// rebuilt from each snapshot's process list, with "Add node" / "Remove node".
#include "model/snapshot.hpp"
#include "theme.hpp"

#include <QWidget>

#include <map>
#include <optional>
#include <set>
#include <string>

#include <vector>

class QGridLayout;
class QLabel;
class QPushButton;
class QScrollArea;

namespace statelab::gui {

class NodeTile;

class NodeGrid : public QWidget {
    Q_OBJECT
public:
    explicit NodeGrid(QWidget* parent = nullptr);

    void update(const Snapshot& snapshot);
    void clear();
    void setClusterUp(bool up);
    void applyTheme(const Theme& theme);
    // Type size relative to the application's (presentation mode: larger); the tiles follow.
    void setTextScale(double scale);
    // "HAProxy · cookie": shown on the balancer's tile.
    void setBalancerText(const QString& text);
    // Somebody else's servers: the verbs each one has a command for (the scenario's "actions");
    // nothing: the lab's own cluster, where every button works.
    void setCommands(std::optional<std::map<std::string, std::set<std::string>>> commands);

    NodeTile* tile(const QString& name) const;
    std::vector<NodeTile*> tiles() const { return m_tiles; }
    QPushButton* addButton() const { return m_add; }
    QPushButton* removeButton() const { return m_remove; }

signals:
    void actionRequested(const QString& action, const QString& target);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void reflow();

    std::vector<NodeTile*> m_tiles;
    QString m_balancerText;
    std::optional<std::map<std::string, std::set<std::string>>> m_commands;
    double m_textScale = 1.0;
    QWidget* m_container;
    QGridLayout* m_layout;
    QScrollArea* m_scroll;
    QLabel* m_placeholder;
    QPushButton* m_add;
    QPushButton* m_remove;
    int m_columns = 0;
    Theme m_theme;
};

} // namespace statelab::gui
