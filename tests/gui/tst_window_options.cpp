// The traffic panel's and cluster panel's options of issue 13, each driven in one window for
// two runs in a row as a user would (keyboard in the boxes, clicks on the tiles and checkboxes):
// NAT and roaming under IP stickiness, retries, cart growth, shared links, the local cache. Each
// run's figures on the charts and the card must be that run's own.
#include "window_driver.hpp"

#include "summary_card.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QtTest>

#include <algorithm>

using namespace statelab;
using namespace statelab::gui;
using namespace statelab::gui::test;

class TestWindowOptions : public QObject {
    Q_OBJECT
private slots:
    // Client IPs behind a NAT, set in the panel: under sticky-ip the requests chart says how
    // much busier the busiest node is; the next run, one address per user again, is even.
    void natInThePanelShowsOnTheRequestsChart() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        ChartViewBase* requests = w->charts()[0];
        auto busiest = [&] {
            const QRegularExpressionMatch m =
                QRegularExpression(QStringLiteral("busiest node ([0-9.]+)× the mean")).match(requests->data().titleNote());
            return m.hasMatch() ? m.captured(1).toDouble() : 0.0;
        };
        for (int addresses : {5, 0}) {
            w->trafficPanel()->addressesBox()->setValue(addresses);
            QVERIFY(launchWithTraffic(*w, Mode::sticky_ip, 4, 200));
            QTRY_VERIFY_WITH_TIMEOUT(w->tally().requests > 4000, 20000);
            const double figure = busiest();
            qInfo().noquote() << addresses << "addresses:" << requests->data().titleNote();
            if (addresses == 5) QVERIFY2(figure >= 1.5, qPrintable(requests->data().titleNote()));
            else QVERIFY2(figure > 0 && figure < 1.5, qPrintable(requests->data().titleNote()));
            QVERIFY(pressTraffic(*w, false));
            QVERIFY(pressStop(*w));
        }
    }

    // Roaming set in the panel: under sticky-ip the moving users lose their carts.
    void roamingInThePanelLosesCartsUnderIpStickiness() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        w->trafficPanel()->roamingBox()->setValue(30);
        w->trafficPanel()->roamEveryBox()->setValue(1);
        QVERIFY(launchWithTraffic(*w, Mode::sticky_ip, 4, 150));
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().lost > 20, 15000);
        QVERIFY(pressTraffic(*w, false));
        QVERIFY(pressStop(*w));
    }

    // Retries chosen with the keyboard in the panel, two runs in one window: node-2 hangs (its
    // tile's Pause), the users retry elsewhere, it wakes (Resume) and applies what it held.
    // Naive retries show items applied twice on the lost-sessions chart and the card; the
    // idempotent run that follows shows none, and starts from no such line.
    void retriesInThePanelShowDuplicates() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        const ChartViewBase* lost = chartWithKey(*w, "lost-so-far");
        QVERIFY(lost);
        w->trafficPanel()->browseSlider()->setFocus();
        QTest::keyClick(w->trafficPanel()->browseSlider(), Qt::Key_End); // everyone browses: carts live on
        QComboBox* retry = w->trafficPanel()->retryBox();
        for (const char* policy : {"naive", "idempotent"}) {
            retry->setFocus();
            QTest::keyClick(retry, Qt::Key_Down); // none -> naive -> idempotent
            QCOMPARE(retry->currentData().toString(), QString::fromLatin1(policy));
            QVERIFY(launchWithTraffic(*w, Mode::shared_store, 3, 150));
            QTRY_VERIFY_WITH_TIMEOUT(logHas(*w, QStringLiteral("%1 retries").arg(QLatin1String(policy))), 5000);
            QVERIFY2(!seriesKeys(lost).contains(QStringLiteral("duplicates")), qPrintable(seriesKeys(lost).join(',')));
            QTRY_VERIFY_WITH_TIMEOUT(w->tally().hits > 600, 20000);
            actOnTile(*w, QStringLiteral("node-2"), QStringLiteral("pause"));
            QTRY_VERIFY_WITH_TIMEOUT(w->tally().failures >= 100, 12000); // the users' 5 s timeouts
            const auto atTimeouts = w->tally().requests; // the retries are answered before node-2 comes back
            QTRY_VERIFY_WITH_TIMEOUT(w->tally().requests > atTimeouts + 150, 10000);
            QTest::mouseClick(w->nodeGrid()->tile(QStringLiteral("node-2"))->button(QStringLiteral("resume")), Qt::LeftButton);
            const auto atResume = w->tally().requests;
            QTRY_VERIFY_WITH_TIMEOUT(w->tally().requests > atResume + 5 * 150, 10000);
            const QString verdict = w->summaryCard()->verdictText();
            qInfo().noquote() << policy << ":" << w->tally().duplicates << "duplicates;" << verdict;
            if (QLatin1String(policy) == QLatin1String("naive")) {
                QTRY_VERIFY_WITH_TIMEOUT(w->tally().duplicates >= 3, 3000);
                const int series = seriesKeys(lost).indexOf(QStringLiteral("duplicates"));
                QVERIFY2(series >= 0, qPrintable(seriesKeys(lost).join(',')));
                QTRY_COMPARE_WITH_TIMEOUT(lost->data().points(series).back().y(), double(w->tally().duplicates), 2000);
                QVERIFY2(w->summaryCard()->verdictText().contains(QStringLiteral("items were added twice")),
                         qPrintable(w->summaryCard()->verdictText()));
            } else {
                QCOMPARE(w->tally().duplicates, std::uint64_t{0});
                QVERIFY(!seriesKeys(lost).contains(QStringLiteral("duplicates")));
                QVERIFY(!verdict.contains(QStringLiteral("twice")));
            }
            QCOMPARE(w->tally().lost, std::uint64_t{0});
            QVERIFY(pressTraffic(*w, false));
            QVERIFY(pressStop(*w));
        }
    }

    // The Item size typed into the panel, two runs in one window: under sticky the State bytes
    // tab shows the nodes' memory filling with carts; under client-token nothing on the nodes,
    // kilobytes of headers per request in the chart's title, and adds refused (413).
    void itemSizeInThePanelBloatsSessions() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        const ChartViewBase* state = chartWithKey(*w, "session-state");
        QVERIFY(state);
        auto* tabs = w->findChild<QTabWidget*>(QStringLiteral("sessionTabs"));
        QVERIFY(tabs);
        QCOMPARE(tabs->count(), 3);
        QCOMPARE(tabs->widget(0), static_cast<QWidget*>(w->charts()[1])); // Sessions, shown first
        QVERIFY(w->charts()[1]->isVisible());
        QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(1).center());
        QCOMPARE(tabs->currentWidget(), static_cast<const QWidget*>(state));
        QVERIFY(state->isVisible() && !w->charts()[1]->isVisible());
        w->trafficPanel()->browseSlider()->setFocus();
        QTest::keyClick(w->trafficPanel()->browseSlider(), Qt::Key_End); // carts that live on
        QSpinBox* itemBytes = w->trafficPanel()->itemBytesBox();
        itemBytes->setFocus();
        itemBytes->selectAll();
        QTest::keyClicks(itemBytes, QStringLiteral("250"));
        QCOMPARE(itemBytes->value(), 250);
        w->trafficPanel()->thinkSlider()->setFocus();
        QTest::keyClick(w->trafficPanel()->thinkSlider(), Qt::Key_Home); // think 0: carts grow fast
        auto nodesKb = [&] {
            double sum = 0;
            for (int i = 0; i < static_cast<int>(state->data().seriesInfo().size()); ++i)
                if (state->data().pointCount(i) > 0 && state->data().seriesInfo()[i].key.startsWith(QLatin1String("node-")))
                    sum += state->data().points(i).back().y();
            return sum;
        };
        auto headerKb = [&] {
            const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("([0-9.]+) KB of headers per request"))
                                                  .match(state->data().titleNote());
            return m.hasMatch() ? m.captured(1).toDouble() : -1.0;
        };
        for (Mode mode : {Mode::sticky, Mode::client_token}) {
            QVERIFY(launchWithTraffic(*w, mode, 3, 60));
            if (mode == Mode::sticky) {
                QTRY_VERIFY_WITH_TIMEOUT(nodesKb() > 300, 15000); // 60 users' carts of 250-byte items
                QVERIFY2(headerKb() >= 0 && headerKb() < 1, qPrintable(state->data().titleNote()));
                QCOMPARE(w->tally().failures, std::uint64_t{0});
            } else {
                const ChartViewBase* failures = w->charts()[4];
                auto tooLargePerSecond = [&] {
                    const int series = seriesKeys(failures).indexOf(QStringLiteral("too_large"));
                    return series >= 0 && failures->data().pointCount(series) > 0 ? failures->data().points(series).back().y() : 0.0;
                };
                QTRY_VERIFY_WITH_TIMEOUT(tooLargePerSecond() > 10, 15000); // adds refused: 413
                QTRY_VERIFY2_WITH_TIMEOUT(w->summaryCard()->verdictText().contains(QStringLiteral("were refused (413)")),
                                          qPrintable(w->summaryCard()->verdictText()), 3000);
                QTRY_VERIFY2_WITH_TIMEOUT(headerKb() > 3, qPrintable(state->data().titleNote()), 5000); // the cart in every cookie
                QVERIFY2(nodesKb() == 0, qPrintable(QString::number(nodesKb())));
            }
            QCOMPARE(w->tally().lost, std::uint64_t{0});
            QVERIFY(pressTraffic(*w, false));
            QVERIFY(pressStop(*w));
        }
    }

    // Sticky by URL chosen in the panel, two runs in one window: with the session id in the URL
    // (the checkbox) and 5% of cart views through a posted link, users are shown other users'
    // carts (the lost-sessions chart's "leaked" line, the card); unticked, none is.
    void sharedLinksInThePanelLeakCarts() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        const ChartViewBase* lost = w->charts()[2];
        QCheckBox* sidInUrl = w->clusterPanel()->sidInUrlBox();
        QVERIFY(!sidInUrl->isVisibleTo(w.get())); // sticky: no links, no box
        w->clusterPanel()->setMode(Mode::sticky_url);
        QVERIFY(sidInUrl->isVisibleTo(w.get()));
        QSpinBox* shared = w->trafficPanel()->sharedLinksBox();
        shared->setFocus();
        shared->selectAll();
        QTest::keyClicks(shared, QStringLiteral("5"));
        for (bool inUrl : {true, false}) {
            if (sidInUrl->isChecked() != inUrl) QTest::mouseClick(sidInUrl, Qt::LeftButton, {}, QPoint(8, sidInUrl->height() / 2));
            QCOMPARE(sidInUrl->isChecked(), inUrl);
            QVERIFY(launchWithTraffic(*w, Mode::sticky_url, 3, 150));
            QTRY_VERIFY_WITH_TIMEOUT(w->tally().requests > 5000, 20000);
            const QString verdict = w->summaryCard()->verdictText();
            qInfo().noquote() << (inUrl ? "id in the URL:" : "id in a cookie:") << w->tally().leaked << "leaked," << w->tally().lost << "lost";
            if (inUrl) {
                QVERIFY2(w->tally().leaked >= 5, qPrintable(verdict));
                QVERIFY2(seriesKeys(lost).contains(QStringLiteral("leaked")), qPrintable(seriesKeys(lost).join(',')));
                QVERIFY2(verdict.contains(QStringLiteral("shown that person's cart")), qPrintable(verdict));
            } else {
                QCOMPARE(w->tally().leaked, std::uint64_t{0});
                QVERIFY(!seriesKeys(lost).contains(QStringLiteral("leaked")));
            }
            QVERIFY(pressTraffic(*w, false));
            QVERIFY(pressStop(*w));
        }
    }

    // Sticky + local cache, two runs in one window: sticky with the version check, the Local
    // cache tab shows each server answering nearly every read itself and no stale read; then
    // the two boxes clicked (round-robin, no check): stale reads on the chart and the card.
    void localCacheInThePanelShowsHitsThenStaleReads() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        const ChartViewBase* cache = chartWithKey(*w, "local-cache");
        QVERIFY(cache);
        auto* tabs = w->findChild<QTabWidget*>(QStringLiteral("sessionTabs"));
        QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(2).center());
        QCOMPARE(tabs->currentWidget(), static_cast<const QWidget*>(cache));
        const ChartViewBase* lost = w->charts()[2];
        auto lowestNodeRatio = [&] {
            double lowest = 101;
            for (int i = 0; i < static_cast<int>(cache->data().seriesInfo().size()); ++i)
                if (cache->data().pointCount(i) > 0) lowest = std::min(lowest, cache->data().points(i).back().y());
            return lowest > 100 ? -1.0 : lowest;
        };
        w->clusterPanel()->setMode(Mode::sticky_cached);
        QCheckBox* roundRobin = w->clusterPanel()->cacheRoundRobinBox();
        QCheckBox* check = w->clusterPanel()->versionCheckBox();
        QVERIFY(roundRobin->isVisibleTo(w.get()) && check->isVisibleTo(w.get()) && check->isChecked());
        for (bool sticky : {true, false}) {
            if (!sticky) {
                QTest::mouseClick(roundRobin, Qt::LeftButton, {}, QPoint(8, roundRobin->height() / 2));
                QTest::mouseClick(check, Qt::LeftButton, {}, QPoint(8, check->height() / 2));
                QVERIFY(roundRobin->isChecked() && !check->isChecked());
            }
            QVERIFY(launchWithTraffic(*w, Mode::sticky_cached, 3, 150));
            if (sticky) {
                QTRY_VERIFY_WITH_TIMEOUT(lowestNodeRatio() >= 80, 15000);
                QTRY_VERIFY_WITH_TIMEOUT(w->tally().requests > 3000, 10000);
                QCOMPARE(w->tally().stale, std::uint64_t{0});
                QCOMPARE(w->tally().lost, std::uint64_t{0});
            } else {
                QTRY_VERIFY_WITH_TIMEOUT(w->tally().stale >= 20, 15000);
                QTRY_VERIFY_WITH_TIMEOUT(seriesKeys(lost).contains(QStringLiteral("stale")), 2000);
                QVERIFY2(w->summaryCard()->verdictText().contains(QStringLiteral("older cart")),
                         qPrintable(w->summaryCard()->verdictText()));
            }
            qInfo().noquote() << (sticky ? "sticky, checked:" : "round-robin, unchecked:") << "lowest node" << lowestNodeRatio()
                              << "% local," << w->tally().stale << "stale";
            QVERIFY(pressTraffic(*w, false));
            QVERIFY(pressStop(*w));
        }
    }
};

QTEST_MAIN(TestWindowOptions)
#include "tst_window_options.moc"
