// After the traffic stops (issue 24): a finished scenario stays on screen — 70 s later every
// chart still shows the run, the card the run's final totals, and the duration is the
// traffic's in the card, the summary and the exports; F11 shows the headline in large type.
#include "window_driver.hpp"

#include "export/run_export.hpp"
#include "summary_card.hpp"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonArray>
#include <QLabel>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

using namespace statelab;
using namespace statelab::gui;
using namespace statelab::gui::test;

namespace {

QJsonObject summary_of(const QString& dir) {
    QFile file(dir + QStringLiteral("/summary.json"));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

double marker_at(const ChartViewBase* chart, const QString& label) {
    for (const Marker& m : chart->data().markers())
        if (m.label == label) return m.t_s;
    return -1;
}

} // namespace

class TestWindowAfterTheRun : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("STATELAB_RUNS_DIR", m_runs.path().toUtf8()); }

    void aFinishedScenarioStaysOnScreen() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("short.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({ "name": "four seconds", "mode": "sticky", "nodes": 2, "duration_s": 4,
                        "traffic": { "users": 40, "think_ms": 100, "journey": "shop" },
                        "timeline": [ { "at_s": 2, "action": "kill", "target": "node-2" } ] })");
        file.close();
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        QString error;
        QVERIFY2(w->loadScenario(path, &error), qPrintable(error));
        QTest::keyClick(w.get(), Qt::Key_R, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!w->keptRunDir().isEmpty(), 30000);

        // The duration is the traffic's: 4 s in summary.json, the exports and the card.
        const QJsonObject summary = summary_of(w->keptRunDir());
        QVERIFY2(std::abs(summary.value("duration_s").toDouble() - 4.0) < 0.05,
                 qPrintable(QString::number(summary.value("duration_s").toDouble())));
        const RunExport exported = w->runExport();
        bool durationFigure = false;
        for (const KeyFigure& f : exported.keyFigures)
            if (f.label == QLatin1String("Duration")) durationFigure = f.value == QLatin1String("0:04");
        QVERIFY2(durationFigure, "the exports' Duration is the traffic's 0:04");
        const QString requests = formatCount(static_cast<std::uint64_t>(summary.value("requests").toDouble()));
        const QString finalLine = QStringLiteral("ran %1 requests over 0:04").arg(requests);
        QVERIFY2(w->summaryCard()->numbersText().startsWith(finalLine), qPrintable(w->summaryCard()->numbersText()));

        // 70 s on, the cluster still up: the charts still show the run (the kill within their
        // window, the requests line above zero), the card the same final line.
        const ChartViewBase* requestsChart = chartWithKey(*w, "requests");
        QVERIFY(requestsChart);
        const double kill = marker_at(requestsChart, QStringLiteral("kill node-2"));
        const double off = marker_at(requestsChart, QStringLiteral("traffic off"));
        QVERIFY(kill > 0 && off > kill);
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().elapsed_s > off + 70, 90000);
        QVERIFY(w->bridge()->isLaunched());
        for (const ChartViewBase* chart : w->charts()) {
            if (chart->data().seriesInfo().empty()) continue; // a chart this mode has nothing for
            const ChartData::View view = chart->data().view(2000);
            QVERIFY2(view.xMin <= kill && kill <= view.xMax,
                     qPrintable(QStringLiteral("%1 shows %2..%3 s, the kill was at %4 s")
                                    .arg(chart->spec().title).arg(view.xMin).arg(view.xMax).arg(kill)));
        }
        double most = 0;
        for (const auto& series : requestsChart->data().view(2000).points)
            for (const QPointF& p : series) most = std::max(most, p.y());
        QVERIFY2(most > 0, "the requests chart shows the run's traffic");
        QVERIFY2(w->summaryCard()->numbersText().startsWith(finalLine), qPrintable(w->summaryCard()->numbersText()));

        // F11: the headline, the run's key figure, in large type; F11 again hides it.
        auto* headline = w->findChild<QLabel*>(QStringLiteral("headline"));
        QVERIFY(headline && !headline->isVisible());
        QTest::keyClick(w.get(), Qt::Key_F11);
        QTRY_VERIFY(headline->isVisible());
        const auto lost = static_cast<std::uint64_t>(summary.value("sessions").toObject().value("lost").toDouble());
        QVERIFY(lost > 0);
        QVERIFY2(headline->text().startsWith(QStringLiteral("%1 sessions lost").arg(formatCount(lost))), qPrintable(headline->text()));
        QVERIFY(headline->font().pointSize() >= 36);
        QTest::keyClick(w.get(), Qt::Key_F11);
        QTRY_VERIFY(!headline->isVisible());

        // F5 with the cluster up is not a silent key: the status bar says what to press.
        QTest::keyClick(w.get(), Qt::Key_F5);
        QVERIFY2(w->statusBar()->currentMessage().contains(QStringLiteral("already up")),
                 qPrintable(w->statusBar()->currentMessage()));

        // F6 on the same cluster: a new run (its own charts and card), kept at Shift+F5 beside
        // the scenario's; the stop is an event of its log and its summary.
        const QString firstRun = w->keptRunDir();
        QVERIFY(pressTraffic(*w, true));
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().requests > 200 && w->keptRunDir().isEmpty(), 20000);
        QVERIFY(w->tally().lost == 0); // not the scenario's losses
        QVERIFY(marker_at(requestsChart, QStringLiteral("kill node-2")) < 0); // not its charts
        QVERIFY(pressStop(*w));
        QTRY_VERIFY(logHas(*w, QStringLiteral("shutdown cluster")));
        QVERIFY(!w->keptRunDir().isEmpty() && w->keptRunDir() != firstRun);
        QCOMPARE(w->sessionRuns().size(), 2);
        const QJsonObject second = summary_of(w->keptRunDir());
        bool shutdownEvent = false;
        for (const QJsonValue& e : second.value("events").toArray())
            shutdownEvent = shutdownEvent || e.toObject().value("action").toString() == QLatin1String("shutdown");
        QVERIFY2(shutdownEvent, "the stop is in the kept run's events");
        QCOMPARE(static_cast<std::uint64_t>(second.value("requests").toDouble()), w->tally().requests);
    }

private:
    QTemporaryDir m_runs;
};

QTEST_MAIN(TestWindowAfterTheRun)
#include "tst_window_after_the_run.moc"
