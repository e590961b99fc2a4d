// The lab window against a real local cluster, driven the way a user drives it: click Launch,
// start traffic, click Kill on a tile, and read what the tiles, the event log, the charts and
// the status bar then say.
#include "window_driver.hpp"

#include "charts/chart_view_base.hpp"
#include "cluster_panel.hpp"
#include "compare/run_history.hpp"
#include "compare/run_record.hpp"
#include "engine_bridge.hpp"
#include "event_log_dock.hpp"
#include "log_slider.hpp"
#include "main_window.hpp"
#include "node_grid.hpp"
#include "node_tile.hpp"
#include "traffic_panel.hpp"

#include <QComboBox>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QtTest>

#include <cerrno>
#include <memory>
#include <signal.h>

using namespace statelab;
using namespace statelab::gui;
using namespace statelab::gui::test;

namespace {

// Launch by clicking, as a user does; returns once the cluster is up.
bool launch(MainWindow& w, Mode mode, int nodes) {
    w.clusterPanel()->setMode(mode);
    w.clusterPanel()->nodesBox()->setValue(nodes);
    QSignalSpy launched(w.bridge(), &EngineBridge::launched);
    QTest::mouseClick(w.clusterPanel()->launchButton(), Qt::LeftButton);
    return launched.wait(60000);
}

void startTraffic(MainWindow& w, int users) {
    w.trafficPanel()->usersSlider()->setValue(users);
    QVERIFY(w.trafficPanel()->startButton()->isEnabled());
    QTest::mouseClick(w.trafficPanel()->startButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w.tally().hits > 300, 30000);
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    // Without haproxy on PATH the balancer box still lists it, disabled, and says how to get it.
    void haproxyIsOfferedDisabledWhenMissing() {
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", QByteArray("/nonexistent"));
        ClusterPanel missing;
        qputenv("PATH", path);
        ClusterPanel present;
        auto* box = missing.findChild<QComboBox*>(QStringLiteral("balancerBox"));
        QVERIFY(box);
        const auto* items = qobject_cast<QStandardItemModel*>(box->model());
        QVERIFY(items && !items->item(1)->isEnabled());
        QVERIFY(box->itemData(1, Qt::ToolTipRole).toString().contains(QLatin1String("apt install haproxy")));
        const auto* installed = qobject_cast<QStandardItemModel*>(present.findChild<QComboBox*>(QStringLiteral("balancerBox"))->model());
        QCOMPARE(installed->item(1)->isEnabled(), !QStandardPaths::findExecutable(QStringLiteral("haproxy")).isEmpty());
    }

    void stickyKillLosesSessionsAndMarksEveryChart() {
        auto w = makeWindow();
        QVERIFY(launch(*w, Mode::sticky, 3));
        startTraffic(*w, 150);
        QVERIFY(w->statusText().contains(QStringLiteral("Lost sessions: 0")));
        // node-2 polled holding sessions, so the loss is real, not a start-up blip.
        const ChartViewBase* sessions = w->charts()[1];
        QTRY_VERIFY_WITH_TIMEOUT(sessions->data().seriesInfo().size() >= 2 && sessions->data().pointCount(1) > 0 &&
                                     sessions->data().points(1).back().y() > 20, 15000);
        actOnTile(*w, QStringLiteral("node-2"));
        QCOMPARE(w->nodeGrid()->tile(QStringLiteral("node-2"))->stateText(), QStringLiteral("down"));

        QTRY_VERIFY_WITH_TIMEOUT(logHas(*w, QStringLiteral("kill node-2")), 5000);
        QCOMPARE(w->charts().size(), std::size_t(8));
        for (ChartViewBase* chart : w->charts())
            QTRY_VERIFY2_WITH_TIMEOUT(chart->markerLabels().contains(QStringLiteral("kill node-2")),
                                      qPrintable(chart->title()), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().lost > 0, 20000);
        QVERIFY2(!w->statusText().contains(QStringLiteral("Lost sessions: 0")), qPrintable(w->statusText()));
    }

    void sharedStoreKillLosesNothing() {
        auto w = makeWindow();
        QVERIFY(launch(*w, Mode::shared_store, 3));
        QTRY_VERIFY_WITH_TIMEOUT(w->nodeGrid()->tile(QStringLiteral("redis")) != nullptr, 10000);
        startTraffic(*w, 150);
        actOnTile(*w, QStringLiteral("node-2"));
        QCOMPARE(w->nodeGrid()->tile(QStringLiteral("node-2"))->stateText(), QStringLiteral("down"));
        const auto requestsAtKill = w->tally().requests;
        // Every user has come back three times since the kill: node-2's users to other nodes.
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().requests > requestsAtKill + 3 * 150, 20000);
        QCOMPARE(w->tally().lost, 0u);
        QVERIFY2(w->statusText().contains(QStringLiteral("Lost sessions: 0")), qPrintable(w->statusText()));
        QVERIFY(logHas(*w, QStringLiteral("kill node-2")));
    }

    void usersSliderDrivesTheEngine() {
        auto w = makeWindow();
        QVERIFY(launch(*w, Mode::sticky, 2));
        startTraffic(*w, 50);
        QTRY_COMPARE_WITH_TIMEOUT(w->bridge()->activeUsers(), 50, 10000);

        LogSlider* slider = w->trafficPanel()->usersSlider();
        QTest::keyClick(slider, Qt::Key_PageUp); // the keyboard moves it like a drag does
        const int moved = slider->value();
        QVERIFY2(moved > 50, qPrintable(QString::number(moved)));
        QTRY_COMPARE_WITH_TIMEOUT(w->bridge()->traffic().users, moved, 5000);

        slider->setValue(400);
        QTRY_COMPARE_WITH_TIMEOUT(w->bridge()->traffic().users, 400, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(w->bridge()->activeUsers(), 400, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(logHas(*w, QStringLiteral("→ 400")), 5000);
    }

    void stoppingKeepsTheRunForComparison() {
        auto w = makeWindow();
        const QStringList before = keptRuns();
        QVERIFY(launch(*w, Mode::sticky, 2));
        startTraffic(*w, 50);
        QSignalSpy stopped(w->bridge(), &EngineBridge::stopped);
        QTest::mouseClick(w->clusterPanel()->stopButton(), Qt::LeftButton);
        QVERIFY(stopped.wait(30000));
        const QStringList after = keptRuns();
        QCOMPARE(after.size(), before.size() + 1);
        QString error;
        const auto run = loadRun(after.first(), &error); // newest first
        QVERIFY2(run, qPrintable(error));
        QCOMPARE(run->mode, QStringLiteral("sticky"));
        QVERIFY(run->summary.value(QStringLiteral("requests")).toDouble() >= w->tally().hits);
        QVERIFY(!run->rows.empty());
        // What an export of this run would show: the window's charts with data (the local cache
        // chart is left out of a sticky run), with their data.
        const RunExport exported = w->runExport();
        QCOMPARE(exported.charts.size(), std::size_t(7));
        for (const auto& chart : exported.charts) QVERIFY(chart.spec.key != QLatin1String("local-cache"));
        QVERIFY(exported.charts[0].data.pointCount(0) > 0);
        QVERIFY(!exported.keyFigures.empty());
    }

    void closingTheWindowLeavesNoProcess() {
        auto w = makeWindow();
        QVERIFY(launch(*w, Mode::shared_store, 2));
        QTRY_COMPARE_WITH_TIMEOUT(w->nodeGrid()->tiles().size(), std::size_t(4), 10000); // 2 nodes, balancer, redis
        QList<int> pids;
        for (NodeTile* tile : w->nodeGrid()->tiles()) {
            QTRY_VERIFY_WITH_TIMEOUT(tile->pid() > 0, 5000);
            pids << tile->pid();
        }
        for (int pid : pids) QCOMPARE(::kill(pid, 0), 0);
        w->trafficPanel()->usersSlider()->setValue(100);
        QTest::mouseClick(w->trafficPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().requests > 100, 20000); // closed with traffic in flight

        QVERIFY(w->close());
        for (int pid : pids) {
            errno = 0;
            QVERIFY2(::kill(pid, 0) == -1 && errno == ESRCH, qPrintable(QStringLiteral("pid %1 still there").arg(pid)));
        }
    }

    void launchFailureShowsDialogAndLeavesNothingRunning() {
        MainWindow w(MainWindowOptions{QStringLiteral("/nonexistent/statelab-bin")});
        w.show();
        QSignalSpy failed(w.bridge(), &EngineBridge::launchFailed);
        QTest::mouseClick(w.clusterPanel()->launchButton(), Qt::LeftButton);
        QVERIFY(failed.wait(30000));
        QVERIFY(!failed.first().first().toString().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(w.findChild<QMessageBox*>() != nullptr, 2000);
        QVERIFY(w.findChild<QMessageBox*>()->isVisible());
        QVERIFY(!w.bridge()->isLaunched());
        QVERIFY(!w.bridge()->engineLaunched());
        QVERIFY(w.clusterPanel()->launchButton()->isEnabled()); // the user can fix and retry
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
