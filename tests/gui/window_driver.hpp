#pragma once
// Driving the lab window in a test the way a user does: the window at its usual size, the
// presenter's keys (F5 launch, F6 traffic, Shift+F5 stop), clicks on the tiles, and reading
// the event log. Shared by the window's test programs.
#include "charts/chart_view_base.hpp"
#include "cluster_panel.hpp"
#include "engine_bridge.hpp"
#include "event_log_dock.hpp"
#include "log_slider.hpp"
#include "main_window.hpp"
#include "node_grid.hpp"
#include "node_tile.hpp"
#include "traffic_panel.hpp"

#include <QDeadlineTimer>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <memory>

namespace statelab::gui::test {

inline std::unique_ptr<MainWindow> makeWindow() {
    auto window = std::make_unique<MainWindow>(MainWindowOptions{QStringLiteral(STATELAB_BIN_DIR)});
    window->resize(1600, 1000);
    window->show();
    window->activateWindow();
    return window;
}

inline bool pressLaunch(MainWindow& w) {
    QSignalSpy launched(w.bridge(), &EngineBridge::launched);
    QTest::keyClick(&w, Qt::Key_F5);
    return launched.wait(60000);
}

inline bool pressStop(MainWindow& w) {
    QSignalSpy stopped(w.bridge(), &EngineBridge::stopped);
    QTest::keyClick(&w, Qt::Key_F5, Qt::ShiftModifier);
    return stopped.wait(30000);
}

// F6 starts or pauses the traffic; true once the bridge says it is `running` as asked.
inline bool pressTraffic(MainWindow& w, bool running) {
    QTest::keyClick(&w, Qt::Key_F6);
    QDeadlineTimer deadline(10000);
    while (w.bridge()->isTrafficRunning() != running) {
        if (deadline.hasExpired()) return false;
        QTest::qWait(20);
    }
    return true;
}

// Mode and node count in the panel, F5, the users slider, F6: a run with traffic flowing.
inline bool launchWithTraffic(MainWindow& w, Mode mode, int nodes, int users) {
    w.clusterPanel()->setMode(mode);
    w.clusterPanel()->nodesBox()->setValue(nodes);
    if (!pressLaunch(w)) return false;
    w.trafficPanel()->usersSlider()->setValue(users);
    return pressTraffic(w, true);
}

// Waits until the tile shows the process up, clicks `action` on it, waits until it is no longer up.
inline void actOnTile(MainWindow& w, const QString& name, const QString& action = QStringLiteral("kill")) {
    QTRY_VERIFY_WITH_TIMEOUT(w.nodeGrid()->tile(name) != nullptr, 10000);
    QPointer<NodeTile> tile = w.nodeGrid()->tile(name);
    QTRY_COMPARE_WITH_TIMEOUT(tile->stateText(), QStringLiteral("up"), 10000);
    QTest::mouseClick(tile->button(action), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(tile->stateText() != QStringLiteral("up"), 10000);
}

inline bool logHas(const MainWindow& w, const QString& text) {
    for (const QString& line : w.eventLog()->lines())
        if (line.contains(text)) return true;
    return false;
}

// The window's chart with this key ("lost-so-far", "session-state"...), or null.
inline const ChartViewBase* chartWithKey(const MainWindow& w, const char* key) {
    for (const ChartViewBase* chart : w.charts())
        if (chart->spec().key == QLatin1String(key)) return chart;
    return nullptr;
}

inline QStringList seriesKeys(const ChartViewBase* chart) {
    QStringList keys;
    for (const auto& info : chart->data().seriesInfo()) keys << info.key;
    return keys;
}

} // namespace statelab::gui::test
