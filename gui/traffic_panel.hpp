#pragma once
// The virtual users: how many, how fast, open or closed loop, which journey. A slider change
// reaches the running load within one interval (debounced 100 ms, so a drag is one change).
#include "model/traffic.hpp"

#include <QGroupBox>
#include <QTimer>

class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace statelab::gui {

class LogSlider;

class TrafficPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit TrafficPanel(QWidget* parent = nullptr);

    TrafficSettings settings() const;
    // What in `traffic` the sliders cannot show (beyond their ends), one sentence each: a
    // scenario runs with its own numbers, and the user is told instead of a silent clamp.
    QStringList beyondSliders(const TrafficSettings& traffic) const;
    // From code (a scenario's traffic or a timeline "set"): moves the sliders, emits nothing.
    void setSettings(const TrafficSettings& traffic);
    void setClusterUp(bool up);
    void setTrafficRunning(bool running);

    LogSlider* usersSlider() const { return m_users; }
    QSlider* browseSlider() const { return m_browse; }
    QSlider* thinkSlider() const { return m_think; }
    QSpinBox* addressesBox() const { return m_addresses; }
    QSpinBox* roamingBox() const { return m_roaming; }
    QSpinBox* roamEveryBox() const { return m_roamEvery; }
    QComboBox* retryBox() const { return m_retry; }
    QSpinBox* itemBytesBox() const { return m_itemBytes; }
    QSpinBox* sharedLinksBox() const { return m_sharedLinks; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* pauseButton() const { return m_pause; }

signals:
    void startRequested(const statelab::TrafficSettings& traffic);
    void pauseRequested();
    void settingsChanged(const statelab::TrafficSettings& traffic); // user moved a slider

private:
    void refreshLabels();
    void onSliderMoved();

    LogSlider* m_users;
    QSlider* m_think;
    LogSlider* m_rate;
    QSlider* m_browse;
    QSpinBox* m_addresses;
    QSpinBox* m_roaming;   // % of users whose address changes
    QSpinBox* m_roamEvery; // ... every this many seconds
    QComboBox* m_retry;    // TrafficSettings::retry
    QSpinBox* m_itemBytes; // TrafficSettings::item_bytes
    QSpinBox* m_sharedLinks; // TrafficSettings::shared_link_share, in %
    // No control of its own (a scenario sets it): kept so that moving a slider does not undo it.
    int m_idleCloseMs = statelab::server_keep_alive_ms;
    QLabel* m_usersLabel;
    QLabel* m_thinkLabel;
    QLabel* m_rateLabel;
    QLabel* m_browseLabel;
    DeclaredJourneyPtr m_declared; // a scenario's own journey, kept until the journey slider moves
    QLabel* m_hint;
    QPushButton* m_start;
    QPushButton* m_pause;
    QTimer m_debounce;
    bool m_applying = false;
    bool m_clusterUp = false;
    bool m_running = false;
};

} // namespace statelab::gui
