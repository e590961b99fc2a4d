#pragma once
// Which state strategy to try and on how many servers: the mode preset with a one-line
// explanation a newcomer can act on, node count, session TTL and padding, Launch / Stop.
#include "engine.hpp"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace statelab::gui {

// What a mode is called on screen and on exported charts: "Sticky sessions (cookie)".
QString modeLabel(Mode mode);
// "HAProxy · cookie" / "statelab-balancer · round-robin": the balancer that runs, and its policy.
QString balancerLabel(const ClusterSettings& settings);

class ClusterPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit ClusterPanel(QWidget* parent = nullptr);

    ClusterSettings settings() const;
    void setSettings(const ClusterSettings& settings);
    void setMode(Mode mode);

    // idle -> launching (progress shown) -> running -> stopping -> idle
    void setLaunching(bool launching);
    void setRunning(bool running);
    void showProgress(const QString& step);

    QPushButton* launchButton() const { return m_launch; }
    QPushButton* stopButton() const { return m_stop; }
    QComboBox* modeBox() const { return m_mode; }
    QSpinBox* nodesBox() const { return m_nodes; }
    QCheckBox* sidInUrlBox() const { return m_sidInUrl; }
    QCheckBox* cacheRoundRobinBox() const { return m_cacheRoundRobin; }
    QCheckBox* versionCheckBox() const { return m_versionCheck; }
    QComboBox* balancerBox() const { return m_balancer; }

    static QString explanation(Mode mode);

signals:
    void launchRequested(const statelab::ClusterSettings& settings);
    void stopRequested();

private:
    void setInputsEnabled(bool enabled);

    QComboBox* m_mode;
    QLabel* m_explanation;
    QComboBox* m_balancer;
    QLabel* m_policy;
    QSpinBox* m_nodes;
    QSpinBox* m_ttl;
    QSpinBox* m_padding;
    QCheckBox* m_sidInUrl; // sticky-url: the session id in the links too
    QCheckBox* m_cacheRoundRobin; // sticky-cached: round-robin routing
    QCheckBox* m_versionCheck;    // sticky-cached: the cache checks Redis's version
    QPushButton* m_launch;
    QPushButton* m_stop;
    QProgressBar* m_progress;
    QLabel* m_step;
};

} // namespace statelab::gui
