// Several runs in a row in ONE lab window, driven with the presenter's keys (F5 launch, F6
// traffic, Shift+F5 stop) and clicks on the tiles, against real local clusters. What each run
// leaves behind (its kept folder, the charts, the summary card) must be that run's own truth:
// one row per interval, rates that match its request count, its own name and nodes, and losses
// told by the event that caused them.
#include "window_driver.hpp"

#include "charts/chart_view_base.hpp"
#include "charts/event_marker.hpp"
#include "cluster_panel.hpp"
#include "compare/compare_window.hpp"
#include "compare/comparison.hpp"
#include "compare/run_record.hpp"
#include "engine_bridge.hpp"
#include "event_log_dock.hpp"
#include "log_slider.hpp"
#include "main_window.hpp"
#include "node_grid.hpp"
#include "node_tile.hpp"
#include "summary_card.hpp"

#include "traffic_panel.hpp"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGraphicsTextItem>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QRegularExpression>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTemporaryDir>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QtTest>

#include <memory>
#include <set>

using namespace statelab;
using namespace statelab::gui;
using namespace statelab::gui::test;

namespace {

std::set<QString> perNodeNames(const RunRecord& run) {
    std::set<QString> names;
    for (const QJsonValue& n : run.summary.value(QStringLiteral("per_node")).toArray())
        names.insert(n.toObject().value(QStringLiteral("name")).toString());
    return names;
}

QByteArray fileBytes(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The text a graphics item and its children show, as painted (QLegend cuts names with "…").
QStringList drawnTexts(const QGraphicsItem* item) {
    QStringList texts;
    if (const auto* text = dynamic_cast<const QGraphicsTextItem*>(item); text && text->isVisible())
        texts << text->toPlainText();
    for (const QGraphicsItem* child : item->childItems()) texts << drawnTexts(child);
    return texts;
}

// Where a chart's event labels cover its data, as drawn: empty when every label is above the
// highest point of every line.
QString labelsOverData(ChartViewBase* view) {
    QChart* chart = view->chart();
    qreal top = std::numeric_limits<qreal>::max(); // scene y of the highest point (y grows down)
    for (QAbstractSeries* series : chart->series())
        if (auto* line = qobject_cast<QLineSeries*>(series))
            for (const QPointF& p : line->points())
                if (!std::isnan(p.y())) top = std::min(top, chart->mapToScene(chart->mapToPosition(p, line)).y());
    for (QGraphicsItem* item : chart->childItems()) {
        const auto* marker = dynamic_cast<const EventMarker*>(item);
        if (!marker || !marker->isVisible() || !marker->labelShown()) continue;
        if (marker->labelSceneRect().bottom() > top)
            return QStringLiteral("%1: the label “%2” reaches down to y %3, the data up to y %4")
                .arg(view->title(), marker->text()).arg(marker->labelSceneRect().bottom()).arg(top);
    }
    return {};
}

} // namespace

class TestWindowRuns : public QObject {
    Q_OBJECT

private slots:
    // Three launch / traffic / stop cycles: each kept run is that run alone.
    void threeRunsInOneWindowKeepTheirOwnTruth() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        struct Kept {
            QString dir;
            QByteArray summary;
        };
        std::vector<Kept> kept;
        for (int run = 1; run <= 3; ++run) {
            const int nodes = run == 2 ? 2 : 3;
            w->clusterPanel()->setMode(Mode::sticky);
            w->clusterPanel()->nodesBox()->setValue(nodes);
            QVERIFY(pressLaunch(*w));
            // The previous cluster is gone from every chart's legend and from the tiles.
            for (ChartViewBase* chart : w->charts())
                QVERIFY2(!seriesKeys(chart).contains(QStringLiteral("node-3")) || nodes == 3, qPrintable(chart->title()));
            w->trafficPanel()->usersSlider()->setValue(60);
            QVERIFY(pressTraffic(*w, true));
            QTRY_VERIFY_WITH_TIMEOUT(w->tally().hits > 400, 30000);
            if (run == 1) {
                actOnTile(*w, QStringLiteral("node-2"));
                QTRY_VERIFY_WITH_TIMEOUT(w->tally().lost > 0, 20000);
            }
            QVERIFY(pressTraffic(*w, false));
            QVERIFY(pressStop(*w));
            QVERIFY2(!w->keptRunDir().isEmpty(), "the stopped run was not kept");

            QString error;
            const auto record = loadRun(w->keptRunDir(), &error);
            QVERIFY2(record, qPrintable(error));
            const double requests = record->summary.value(QStringLiteral("requests")).toDouble();
            const double duration = record->summary.value(QStringLiteral("duration_s")).toDouble();
            double rowRequests = 0;
            for (const auto& row : record->rows) rowRequests += row.requests;
            const QString report = QStringLiteral("run %1: %2 '*' rows over %3 s; rows add up to %4 of %5 requests; name “%6”")
                                       .arg(run).arg(record->rows.size()).arg(duration).arg(rowRequests).arg(requests)
                                       .arg(record->scenario);
            qInfo().noquote() << report;
            // One row per 250 ms interval, not one per sampler ever started.
            QVERIFY2(std::abs(static_cast<double>(record->rows.size()) - duration / 0.25) <= 2, qPrintable(report));
            QVERIFY2(requests > 400 && rowRequests == requests, qPrintable(report));
            // The window counted the same requests the kept run holds.
            QCOMPARE(static_cast<double>(w->tally().requests), requests);
            // A hand-driven run says what it was, not the name of some scenario.
            QVERIFY2(record->scenario.contains(QStringLiteral("sticky")) &&
                         record->scenario.contains(QStringLiteral("%1 nodes").arg(nodes)),
                     qPrintable(report));
            QCOMPARE(record->scenario.contains(QStringLiteral("kill node-2")), run == 1);
            if (run == 1) { // the log's kill line says how many it lost: what the kept run says
                qint64 killLost = -1;
                for (const QJsonValue& e : record->summary.value(QStringLiteral("events")).toArray())
                    if (e.toObject().value(QStringLiteral("action")).toString() == QLatin1String("kill"))
                        killLost = e.toObject().value(QStringLiteral("lost")).toInteger(-1);
                // The figure first (a presenter points at it), what the node held after it.
                QVERIFY2(killLost > 0 && logHas(*w, QStringLiteral("kill node-2 · lost %1 (held").arg(killLost)),
                         qPrintable(w->eventLog()->lines().join('\n')));
            }
            std::set<QString> expectedNodes;
            for (int n = 1; n <= nodes; ++n) expectedNodes.insert(QStringLiteral("node-%1").arg(n));
            QVERIFY2(perNodeNames(*record) == expectedNodes, qPrintable(report));
            kept.push_back({w->keptRunDir(), fileBytes(w->keptRunDir() + QStringLiteral("/summary.json"))});
            // The logs went with the kept run; the temporary folder (logs, secrets) is emptied.
            QVERIFY(QFile::exists(w->keptRunDir() + QStringLiteral("/logs/node-1.log")));
            const QDir temp(QString::fromStdString(w->bridge()->runDir().string()));
            QTRY_VERIFY2_WITH_TIMEOUT(temp.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                                      qPrintable(temp.entryList(QDir::AllEntries | QDir::NoDotAndDotDot).join(',')), 5000);
        }
        // Kept runs are fixed once stopped: later runs did not rewrite them.
        QCOMPARE(std::set<QString>({kept[0].dir, kept[1].dir, kept[2].dir}).size(), std::size_t(3));
        for (const Kept& k : kept) QCOMPARE(fileBytes(k.dir + QStringLiteral("/summary.json")), k.summary);
        // Every chart has one line per node of the last run (3), none left from run 2's legend.
        QCOMPARE(w->charts()[0]->chart()->series().size(), 3);

        // Compare: the legends follow what is ticked, and a kept run can be deleted.
        {
            CompareWindow compare;
            QString error;
            QVERIFY2(compare.showRuns({kept[0].dir, kept[1].dir, kept[2].dir}, &error), qPrintable(error));
            for (ChartViewBase* chart : compare.charts()) QCOMPARE(chart->chart()->series().size(), 3);
            compare.tickOnly({kept[0].dir, kept[2].dir});
            compare.resize(1400, 900);
            compare.show();
            QVERIFY(QTest::qWaitForWindowExposed(&compare));
            for (ChartViewBase* chart : compare.charts()) {
                QCOMPARE(chart->chart()->series().size(), 2);
                QCOMPARE(chart->chart()->legend()->markers().size(), 2);
                // Two runs of one mode are told apart in the legend as drawn: whole, distinct names.
                const QStringList drawn = drawnTexts(chart->chart()->legend());
                QCOMPARE(drawn.size(), 2);
                const QString both = drawn.join(QStringLiteral(" | "));
                QVERIFY2(drawn[0] != drawn[1] && !both.contains(QChar(0x2026)) && !both.contains(QLatin1String("...")), qPrintable(both));
            }
            // Three runs on a laptop's screen: no legend is cut (a chart too narrow for three
            // whole names leaves them to the key figures, which name each run whole beside its
            // colour), and no event label covers the data once the window is shown: the runs
            // were drawn before it was, as when Compare opens with them.
            {
                CompareWindow three;
                QVERIFY2(three.showRuns({kept[0].dir, kept[1].dir, kept[2].dir}, &error), qPrintable(error));
                three.resize(1280, 800);
                three.show();
                QVERIFY(QTest::qWaitForWindowExposed(&three));
                const auto* key = three.findChild<QLabel*>(QStringLiteral("keyFigures"));
                QVERIFY(key);
                for (const RunRecord& run : three.runs())
                    QVERIFY2(key->text().contains(run.label.toHtmlEscaped()), qPrintable(run.label + " | " + key->text()));
                for (ChartViewBase* chart : three.charts()) {
                    QTRY_COMPARE(chart->chart()->series().size(), 3);
                    if (!chart->chart()->legend()->isVisible()) continue;
                    const QStringList drawn = drawnTexts(chart->chart()->legend());
                    const QString all = drawn.join(QStringLiteral(" | "));
                    QVERIFY2(drawn.size() == 3 && std::set<QString>(drawn.begin(), drawn.end()).size() == 3 &&
                                 !all.contains(QChar(0x2026)) && !all.contains(QLatin1String("...")),
                             qPrintable(chart->title() + ": " + all));
                }
                for (ChartViewBase* chart : three.charts())
                    QTRY_VERIFY2(labelsOverData(chart).isEmpty(), qPrintable(labelsOverData(chart)));
            }
            QTemporaryDir elsewhere;
            QVERIFY(!compare.deleteRun(elsewhere.path(), &error)); // not a kept run: not ours to delete
            QVERIFY(QDir(elsewhere.path()).exists());
            QVERIFY2(compare.deleteRun(kept[1].dir, &error), qPrintable(error));
            QVERIFY(!QDir(kept[1].dir).exists());
            QCOMPARE(compare.runs().size(), std::size_t(2));
            // Escape and Ctrl+W close it, as a presenter expects of a window over the lab.
            compare.show();
            compare.activateWindow();
            QVERIFY(QTest::qWaitForWindowActive(&compare));
            QTest::keyClick(&compare, Qt::Key_Escape);
            QTRY_VERIFY(!compare.isVisible());
            compare.show();
            compare.activateWindow();
            QVERIFY(QTest::qWaitForWindowActive(&compare));
            QTest::keyClick(&compare, Qt::Key_W, Qt::ControlModifier);
            QTRY_VERIFY(!compare.isVisible());
        }

        // Named by the user: Compare shows that name, with the note.
        QVERIFY(w->renameKeptRun(QStringLiteral("third try"), QStringLiteral("after lunch")));
        QString error;
        const auto renamed = loadRun(kept[2].dir, &error);
        QVERIFY2(renamed, qPrintable(error));
        QCOMPARE(renamed->scenario, QStringLiteral("third try"));
        QCOMPARE(renamed->summary.value(QStringLiteral("note")).toString(), QStringLiteral("after lunch"));
    }

    // The card names the event that lost the sessions: a remove of an empty node is not it.
    void cardBlamesTheKillNotALaterRemove() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        QVERIFY(launchWithTraffic(*w, Mode::sticky, 3, 150));
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().hits > 1500, 30000);
        actOnTile(*w, QStringLiteral("node-2"));
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().lost > 20, 20000);
        QTest::mouseClick(w->nodeGrid()->addButton(), Qt::LeftButton); // node-4
        QTRY_VERIFY_WITH_TIMEOUT(logHas(*w, QStringLiteral("add node-4")), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(w->clusterPanel()->nodesBox()->value(), 4, 5000); // the Nodes box follows
        QTest::mouseClick(w->nodeGrid()->removeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(logHas(*w, QStringLiteral("remove node-4")), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(w->clusterPanel()->nodesBox()->value(), 3, 5000);
        const QString verdict = w->summaryCard()->verdictText();
        QVERIFY2(verdict.startsWith(QStringLiteral("After “kill node-2”,")), qPrintable(verdict));
        QVERIFY2(verdict.contains(QStringLiteral("lived only in that server's memory")), qPrintable(verdict));
        QVERIFY2(!verdict.contains(QStringLiteral("remove")), qPrintable(verdict));
    }

    // Replicated: the copies are on the requests chart (dashed, per node); a kill loses nothing
    // and the card says why; a node and its buddy together lose the node's sessions, and the
    // card and the log say so.
    void replicatedRunShowsTheCopiesAndWhatTheySaved() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        QVERIFY(launchWithTraffic(*w, Mode::replicated, 4, 150));
        ChartViewBase* requests = w->charts()[0];
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().hits > 1500 && seriesKeys(requests).contains(QStringLiteral("copies:node-4")), 30000);
        for (const SeriesInfo& info : requests->data().seriesInfo())
            QCOMPARE(info.dashed, info.key.startsWith(QLatin1String("copies:")));
        QVERIFY(requests->data().yTitle().contains(QStringLiteral("copies (dashed)")));
        // node-1..4 only: what dashed means is on the axis. The legend follows the data at the
        // next replot (~40 ms): a copies line that has just appeared may not be hidden yet.
        auto visibleMarkers = [&] {
            const QList<QLegendMarker*> markers = requests->chart()->legend()->markers();
            return std::count_if(markers.begin(), markers.end(), [](QLegendMarker* m) { return m->isVisible(); });
        };
        QTRY_COMPARE_WITH_TIMEOUT(visibleMarkers(), 4, 2000);
        actOnTile(*w, QStringLiteral("node-2"));
        const auto at_kill = w->tally().requests;
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().requests > at_kill + 3 * 150, 20000);
        QCOMPARE(w->tally().lost, 0u);
        QString verdict = w->summaryCard()->verdictText();
        QVERIFY2(verdict.contains(QStringLiteral("found in the copies")), qPrintable(verdict));

        // As the card says: node-3's buddy first (its copies go), then node-3 (the sessions go).
        // The other way round, node-3's users would be served on from node-4's copies in between.
        actOnTile(*w, QStringLiteral("node-4"));
        actOnTile(*w, QStringLiteral("node-3"));
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().lost > 10, 20000);
        verdict = w->summaryCard()->verdictText();
        QVERIFY2(verdict.startsWith(QStringLiteral("After “kill node-3”,")) && verdict.contains(QStringLiteral("both down")),
                 qPrintable(verdict));
        QTRY_VERIFY_WITH_TIMEOUT(logHas(*w, QStringLiteral("kill node-3 · lost ")) && logHas(*w, QStringLiteral("(held")), 5000);
        QVERIFY(pressTraffic(*w, false));
        QVERIFY(pressStop(*w));
    }

    // shared-store-ha: a click kills the primary; the tiles follow the failover (the replica is
    // primary now), the log and the card tell the outage and who was promoted.
    void haStoreTilesFollowTheFailover() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        QVERIFY(launchWithTraffic(*w, Mode::shared_store_ha, 3, 150));
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().hits > 1000, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(w->nodeGrid()->tile(QStringLiteral("redis"))->kindText(), QStringLiteral("Redis primary"), 5000);
        QCOMPARE(w->nodeGrid()->tile(QStringLiteral("redis-replica-1"))->kindText(), QStringLiteral("Redis replica"));
        for (const char* sentinel : {"sentinel-1", "sentinel-2", "sentinel-3"}) QVERIFY(w->nodeGrid()->tile(QString::fromLatin1(sentinel)));
        actOnTile(*w, QStringLiteral("redis"));
        QTRY_VERIFY_WITH_TIMEOUT(logHas(*w, QStringLiteral("store back after")), 15000);
        QVERIFY2(logHas(*w, QStringLiteral("failover → redis-replica-1")), qPrintable(w->eventLog()->lines().join('\n')));
        QTRY_COMPARE_WITH_TIMEOUT(w->nodeGrid()->tile(QStringLiteral("redis-replica-1"))->kindText(), QStringLiteral("Redis primary"), 5000);
        QCOMPARE(w->nodeGrid()->tile(QStringLiteral("redis"))->kindText(), QStringLiteral("Redis replica"));
        const QString verdict = w->summaryCard()->verdictText();
        QVERIFY2(verdict.contains(QStringLiteral("The sentinels promoted redis-replica-1")), qPrintable(verdict));
        QVERIFY(pressTraffic(*w, false));
        QVERIFY(pressStop(*w));
    }

    // Shared store: a node kill loses nothing and the sessions chart shows them in the store;
    // the store's kill fails requests; its restart loses every session (it came back empty).
    void sharedStoreCardAndViewsTellWhatHappened() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        QVERIFY(launchWithTraffic(*w, Mode::shared_store, 3, 150));
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().hits > 1500, 30000);
        actOnTile(*w, QStringLiteral("node-2"));
        QTRY_VERIFY_WITH_TIMEOUT(logHas(*w, QStringLiteral("kill node-2")), 5000);
        // node-2 held nothing of its own; the store holds every session, on its own line.
        QVERIFY2(logHas(*w, QStringLiteral("held 0 sessions")), qPrintable(w->eventLog()->lines().join('\n')));
        const ChartViewBase* sessions = w->charts()[1];
        const int store = seriesKeys(sessions).indexOf(QStringLiteral("redis"));
        QVERIFY2(store >= 0, qPrintable(seriesKeys(sessions).join(',')));
        QTRY_VERIFY_WITH_TIMEOUT(sessions->data().pointCount(store) > 0 &&
                                     sessions->data().points(store).back().y() > 100, 5000);
        for (int i = 0; i < static_cast<int>(seriesKeys(sessions).size()); ++i)
            if (i != store && sessions->data().pointCount(i) > 0) QCOMPARE(sessions->data().points(i).back().y(), 0.0);
        QTRY_VERIFY_WITH_TIMEOUT(w->nodeGrid()->tile(QStringLiteral("redis"))->findChildren<QLabel*>().size() > 0, 1000);

        QElapsedTimer sinceKill;
        sinceKill.start();
        actOnTile(*w, QStringLiteral("redis"));
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().failures > 100, 20000);
        QCOMPARE(w->tally().lost, 0u);
        QTRY_VERIFY_WITH_TIMEOUT(w->summaryCard()->verdictText().startsWith(QStringLiteral("While the store was down,")), 5000);

        QTest::qWait(std::max<int>(0, 2000 - static_cast<int>(sinceKill.elapsed()))); // down for 2 s at least
        const double downFor = sinceKill.elapsed() / 1000.0; // at least: the click is a little after the kill
        QTest::mouseClick(w->nodeGrid()->tile(QStringLiteral("redis"))->button(QStringLiteral("restart")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().lost > 20, 20000);
        const QString verdict = w->summaryCard()->verdictText();
        QVERIFY2(verdict.startsWith(QStringLiteral("After “restart redis”,")) &&
                     verdict.contains(QStringLiteral("the store came back empty")) &&
                     verdict.contains(QStringLiteral("until the store was back")),
                 qPrintable(verdict));
        // Timed from the kill, not from the restart that ended it.
        const QRegularExpressionMatch outage = QRegularExpression(QStringLiteral("Writes failed for ([0-9.]+) s")).match(verdict);
        QVERIFY2(outage.hasMatch() && outage.captured(1).toDouble() >= downFor - 0.1,
                 qPrintable(verdict + QStringLiteral(" (down for %1 s)").arg(downFor)));
    }

    // HAProxy chosen in the panel runs, and says so on its tile and on the exports.
    void haproxyChosenInThePanelShows() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        w->clusterPanel()->setMode(Mode::sticky);
        w->clusterPanel()->nodesBox()->setValue(2);
        QComboBox* balancer = w->clusterPanel()->balancerBox();
        balancer->setCurrentIndex(balancer->findData(QStringLiteral("haproxy")));
        QVERIFY(pressLaunch(*w));
        QTRY_VERIFY_WITH_TIMEOUT(w->nodeGrid()->tile(QStringLiteral("balancer")) != nullptr, 10000);
        QCOMPARE(w->nodeGrid()->tile(QStringLiteral("balancer"))->kindText(), QStringLiteral("HAProxy · cookie"));
        w->trafficPanel()->usersSlider()->setValue(40);
        QVERIFY(pressTraffic(*w, true));
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().hits > 200, 30000);
        const RunExport exported = w->runExport();
        QVERIFY2(exported.header.subtitle.contains(QStringLiteral("HAProxy · cookie")), qPrintable(exported.header.subtitle));
        QVERIFY(pressStop(*w));
        QString error;
        const auto record = loadRun(w->keptRunDir(), &error);
        QVERIFY2(record && record->scenario.contains(QStringLiteral("HAProxy")), qPrintable(error));
    }

    // Exports show the traffic, from "traffic on" to "traffic off", not the idle minutes around
    // it; every panel of the dashboard on that one time axis.
    void exportsCoverTheTraffic() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        w->clusterPanel()->setMode(Mode::sticky);
        w->clusterPanel()->nodesBox()->setValue(2);
        QVERIFY(pressLaunch(*w));
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().elapsed_s > 2.0, 10000); // idle before
        w->trafficPanel()->usersSlider()->setValue(40);
        QVERIFY(pressTraffic(*w, true));
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().hits > 300, 30000);
        QVERIFY(pressTraffic(*w, false));
        const double off = w->tally().elapsed_s;
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().elapsed_s > off + 2.0, 10000); // idle after
        double on = -1, offMarker = -1;
        for (const Marker& m : w->charts()[0]->data().markers()) {
            if (m.label == QLatin1String("traffic on")) on = m.t_s;
            if (m.label == QLatin1String("traffic off")) offMarker = m.t_s;
        }
        QVERIFY(on > 1.5 && offMarker > on);
        const RunExport exported = w->runExport();
        for (const FigurePanel& panel : exported.charts) {
            QVERIFY2(panel.data.hasRange(), qPrintable(panel.spec.title));
            QVERIFY2(std::abs(panel.data.rangeFrom() - (on - 0.25)) < 0.01 && panel.data.rangeTo() <= offMarker + 0.51,
                     qPrintable(QStringLiteral("%1: %2..%3, traffic %4..%5").arg(panel.spec.title).arg(panel.data.rangeFrom())
                                    .arg(panel.data.rangeTo()).arg(on).arg(offMarker)));
            for (std::size_t s = 0; s < panel.data.seriesInfo().size(); ++s)
                for (const QPointF& p : panel.data.points(static_cast<int>(s)))
                    QVERIFY(p.x() >= panel.data.rangeFrom() - 1e-6 && p.x() <= panel.data.rangeTo() + 1e-6);
        }
        // A range chosen by hand wins.
        w->setExportRange(std::make_pair(0.0, 1.0));
        QCOMPARE(w->runExport().charts[0].data.rangeTo(), 1.0);
    }

    // A scenario's run is kept when its duration ends (the cluster stays up), under the
    // scenario's name, and the scenario embedded in its report is the one that ran (its own
    // duration and at_s). Numbers beyond the sliders are said, not clamped in silence.
    void aScenarioRunIsKeptWhenItEnds() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("short.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({ "name": "short kill", "mode": "sticky", "nodes": 2, "duration_s": 3,
                        "traffic": { "users": 40, "think_ms": 100, "journey": "shop" },
                        "timeline": [ { "at_s": 1.5, "action": "kill", "target": "node-2" } ] })");
        file.close();
        auto w = makeWindow();
        QString error;
        QVERIFY2(w->loadScenario(path, &error), qPrintable(error));
        w->runScenario();
        QTRY_VERIFY_WITH_TIMEOUT(!w->keptRunDir().isEmpty(), 30000);
        QVERIFY(w->bridge()->isLaunched()); // kept at the end of the traffic, the cluster still up
        const auto record = loadRun(w->keptRunDir(), &error);
        QVERIFY2(record, qPrintable(error));
        QCOMPARE(record->scenario, QStringLiteral("short kill"));
        const QJsonObject embedded = QJsonDocument::fromJson(w->runExport().scenarioJson.toUtf8()).object();
        QCOMPARE(embedded.value(QStringLiteral("duration_s")).toDouble(), 3.0);
        QCOMPARE(embedded.value(QStringLiteral("timeline")).toArray().at(0).toObject().value(QStringLiteral("at_s")).toDouble(), 1.5);
        QVERIFY(pressStop(*w));

        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(R"({ "name": "crowd", "mode": "sticky", "nodes": 2, "duration_s": 3,
                        "traffic": { "users": 20000, "think_ms": 100, "journey": "shop" } })");
        file.close();
        QVERIFY2(w->loadScenario(path, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(logHas(*w, QStringLiteral("20,000 is beyond the slider's 10,000")), 2000);
    }

    // Closing the window keeps the run that was going (stopped first: final figures).
    void closingKeepsTheRun() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        QVERIFY(launchWithTraffic(*w, Mode::sticky, 2, 30));
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().requests > 300, 20000);
        QVERIFY(w->keptRunDir().isEmpty());
        QVERIFY(w->close());
        QVERIFY(!w->keptRunDir().isEmpty());
        QString error;
        const auto record = loadRun(w->keptRunDir(), &error);
        QVERIFY2(record, qPrintable(error));
        QCOMPARE(record->summary.value(QStringLiteral("requests")).toDouble(), static_cast<double>(w->tally().requests));
    }

    // Compare lays runs over each other where their traffic started, whenever that was after
    // their launch: two runs whose traffic began 2 s and 5 s after launch start together at 0.
    void comparisonsAlignRunsWhereTheirTrafficStarted() {
        QTemporaryDir dir;
        auto writeRun = [&](const QString& name, double start) {
            QDir(dir.path()).mkpath(name);
            QFile summary(dir.filePath(name + QStringLiteral("/summary.json")));
            if (!summary.open(QIODevice::WriteOnly)) return;
            summary.write(QStringLiteral(R"({"scenario": "%1", "mode": "sticky", "duration_s": 10, "requests": 1,
                "sessions": {"lost": 0}, "failures": {}, "events": [
                {"t_s": 0, "action": "launch", "target": "cluster"},
                {"t_s": %2, "action": "start", "target": "traffic"},
                {"t_s": %3, "action": "kill", "target": "node-2"}]})").arg(name).arg(start).arg(start + 3).toUtf8());
            QFile csv(dir.filePath(name + QStringLiteral("/timeseries.csv")));
            if (!csv.open(QIODevice::WriteOnly)) return;
            csv.write("t_s,node,requests,errors,hits,misses,lost,p50_ms,p99_ms\n");
            for (int i = 1; i <= 40; ++i) {
                const double t = i * 0.25;
                const int requests = t > start ? 100 : 0; // nothing before the traffic
                csv.write(QStringLiteral("%1,*,%2,0,0,0,0,1.0,2.0\n").arg(t, 0, 'f', 3).arg(requests).toUtf8());
            }
        };
        writeRun(QStringLiteral("early"), 2.0);
        writeRun(QStringLiteral("late"), 5.0);
        {   // An event of the late run alone: the balancer took node-1 out 4 s after its start.
            QFile file(dir.filePath(QStringLiteral("late/summary.json")));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QJsonObject summary = QJsonDocument::fromJson(file.readAll()).object();
            file.close();
            QJsonArray events = summary.value(QStringLiteral("events")).toArray();
            events.append(QJsonObject{{"t_s", 9.0}, {"action", "down"}, {"target", "node-1"}});
            summary.insert(QStringLiteral("events"), events);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(QJsonDocument(summary).toJson());
        }
        QString error;
        std::vector<RunRecord> runs;
        for (const char* name : {"early", "late"}) {
            auto run = loadRun(dir.filePath(QLatin1String(name)), &error);
            QVERIFY2(run, qPrintable(error));
            runs.push_back(*run);
        }
        const RunExport compared = comparisonExport(runs);
        const ChartData& requests = compared.charts[0].data;
        for (int s = 0; s < 2; ++s) {
            double firstTraffic = -1;
            for (const QPointF& p : requests.points(s))
                if (p.y() > 0 && firstTraffic < 0) firstTraffic = p.x();
            QCOMPARE(firstTraffic, 0.25); // the first interval after each run's own start
        }
        // The same kill 3 s after each start is one marker at 3 s.
        int kills = 0;
        for (const Marker& m : requests.markers()) kills += m.label == QLatin1String("kill node-2") && std::abs(m.t_s - 3.0) < 1e-6;
        QCOMPARE(kills, 1);
        // ... in grey (both runs'); the late run's own event in the late run's colour, its line's.
        for (const Marker& m : requests.markers()) {
            if (m.label == QLatin1String("kill node-2")) QCOMPARE(m.color, QColor(0x6b7178));
            if (m.label == QLatin1String("node-1 DOWN")) QCOMPARE(m.color, requests.seriesInfo()[1].color);
        }
        QVERIFY(std::any_of(requests.markers().begin(), requests.markers().end(),
                            [](const Marker& m) { return m.label == QLatin1String("node-1 DOWN") && std::abs(m.t_s - 4.0) < 1e-6; }));
    }

    // F11 hides the controls and brings them back.
    void presentationModeShowsChartsAndTilesOnly() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        QTest::keyClick(w.get(), Qt::Key_F11);
        QVERIFY(w->presentationMode());
        QVERIFY(!w->clusterPanel()->isVisible());
        QVERIFY(w->nodeGrid()->isVisible());
        const auto* tabs = w->findChild<QTabWidget*>(QStringLiteral("sessionTabs"));
        QVERIFY(tabs && tabs->isVisible());
        for (ChartViewBase* chart : w->charts()) // every chart, but those behind another tab
            QVERIFY2(chart->isVisible() || (tabs->indexOf(chart) >= 0 && tabs->currentWidget() != chart), qPrintable(chart->title()));
        QTest::keyClick(w.get(), Qt::Key_F11);
        QVERIFY(!w->presentationMode());
        QTRY_VERIFY(w->clusterPanel()->isVisible());
    }
};

QTEST_MAIN(TestWindowRuns)
#include "tst_window_runs.moc"
