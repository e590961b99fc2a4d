// The Lessons panel, driven as a new user would: the panel is there when the window opens,
// the first lesson is selected; Start, watch the highlighted chart, Next (Ctrl+N) where the
// lesson waits, read the verdict; then the second lesson in the same window, whose figures
// must be its own. And the lesson's export for slides.
#include "export/run_export.hpp"
#include "lessons_dock.hpp"
#include "window_driver.hpp"

#include <QJsonDocument>
#include <QJsonObject>
#include <QListWidget>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace statelab;
using namespace statelab::gui;
using namespace statelab::gui::test;

namespace {

QPushButton* button(LessonsDock* dock, const char* name) { return dock->findChild<QPushButton*>(QLatin1String(name)); }

// Runs the selected lesson to its verdict: Start, then Next at each hold; `verdict` is the
// paragraph. Checks on the way that the story waits for Next and that the watched chart is the
// one highlighted. (The caller checks QTest::currentTestFailed().)
void runSelectedLesson(MainWindow& w, QString& verdict) {
    LessonsDock* dock = w.lessonsDock();
    QTest::mouseClick(button(dock, "startLesson"), Qt::LeftButton);
    const Lesson& lesson = dock->lessons()[static_cast<std::size_t>(dock->selected())];
    const auto holds = lesson.holds();
    for (std::size_t hold = 0; hold < holds.size(); ++hold) {
        QTRY_VERIFY_WITH_TIMEOUT(button(dock, "nextStep")->isEnabled(), 30000);
        // Held: the step's action has not happened, however long the user takes to read.
        QTest::qWait(700);
        const StoryStatus story = w.bridge()->story();
        QVERIFY2(story.held && story.done == hold, "the story did not wait for Next");
        const QString watched = dock->watchedChart();
        const ChartViewBase* chart = chartWithKey(w, watched.toLatin1().constData());
        QVERIFY2(chart && chart->isHighlighted(), qPrintable(QStringLiteral("not highlighted: ") + watched));
        QTest::keyClick(&w, Qt::Key_N, Qt::ControlModifier); // the Next button's shortcut
        QTRY_VERIFY_WITH_TIMEOUT(!w.bridge()->story().held, 5000);
    }
    QTRY_VERIFY_WITH_TIMEOUT(dock->text().contains(QStringLiteral("Measured:")), 40000);
    verdict = QRegularExpression(QStringLiteral("Predicted:[^\n]*")).match(dock->text()).captured(0);
}

} // namespace

class TestWindowLessons : public QObject {
    Q_OBJECT
private slots:
    void aNewUserIsWalkedThroughTwoLessonsInOneWindow() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        LessonsDock* dock = w->lessonsDock();
        QVERIFY(dock->isVisible()); // there at first sight, no menu to find
        QVERIFY(dock->lessons().size() >= 10);
        QCOMPARE(dock->selected(), 0);
        QTest::keyClick(w.get(), Qt::Key_L, Qt::ControlModifier); // Lessons ▸ Lessons panel
        QTRY_VERIFY(!dock->isVisible());
        QTest::keyClick(w.get(), Qt::Key_L, Qt::ControlModifier);
        QTRY_VERIFY(dock->isVisible());

        // 1. A sticky server dies: about a third of the users lose their carts.
        QString first;
        runSelectedLesson(*w, first);
        if (QTest::currentTestFailed()) return;
        qInfo().noquote() << first;
        QVERIFY2(first.contains(QStringLiteral("The prediction held.")), qPrintable(first));
        const QRegularExpressionMatch lost = QRegularExpression(QStringLiteral("Measured: (\\d+) of 300 users lost their carts when node-2 died")).match(first);
        QVERIFY(lost.hasMatch());
        QVERIFY(lost.captured(1).toInt() > 30);
        // The lesson judged the run's summary; the window's own count (card, status bar) is the same.
        const QJsonObject summary =
            QJsonDocument::fromJson(QByteArray::fromStdString(w->bridge()->summaryJson("lesson"))).object();
        QCOMPARE(static_cast<qint64>(w->tally().lost), summary[QStringLiteral("sessions")].toObject()[QStringLiteral("lost")].toInteger());
        QVERIFY(static_cast<int>(w->tally().lost) >= lost.captured(1).toInt());
        QVERIFY(logHas(*w, QStringLiteral("kill node-2")));
        for (const ChartViewBase* chart : w->charts()) QVERIFY(!chart->isHighlighted()); // the lesson is over

        // Export for slides: the charts it watched and its one paragraph.
        QTemporaryDir slides;
        QString error;
        QVERIFY2(w->exportLessonForSlides(slides.path(), &error), qPrintable(error));
        for (const char* file : {"requests-per-server.png", "requests-per-server.svg", "lost-sessions-so-far.png",
                                 "lost-sessions-so-far.svg", "lesson.txt"})
            QVERIFY2(QFileInfo::exists(QDir(slides.path()).filePath(QLatin1String(file))), file);
        QFile text(QDir(slides.path()).filePath(QStringLiteral("lesson.txt")));
        QVERIFY(text.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(text.readAll()).contains(first));

        // 2. The same crash with a shared store, in the same window: nothing lost, and the
        // first lesson's losses are not this one's.
        dock->findChild<QListWidget*>(QStringLiteral("lessonList"))->setFocus();
        QTest::keyClick(dock->findChild<QListWidget*>(QStringLiteral("lessonList")), Qt::Key_Down);
        QCOMPARE(dock->selected(), 1);
        QString second;
        runSelectedLesson(*w, second);
        if (QTest::currentTestFailed()) return;
        qInfo().noquote() << second;
        QVERIFY2(second.contains(QStringLiteral("Measured: 0 of 300")), qPrintable(second));
        QVERIFY2(second.contains(QStringLiteral("The prediction held.")), qPrintable(second));
        QCOMPARE(static_cast<int>(w->tally().lost), 0);
        QVERIFY(!logHas(*w, QStringLiteral("lost 8"))); // no line of the first lesson's log
        // "Stop the cluster when the lesson ends" (on by default): its processes are gone.
        QTRY_VERIFY_WITH_TIMEOUT(!w->bridge()->isLaunched(), 30000);
        QVERIFY(dock->text().contains(second)); // the verdict stays on show after the stop

        // A run of the presenter's own after it (F5): Export for slides still exports the
        // lesson whose verdict is on screen (it once said "no lesson has run in this window").
        QVERIFY(pressLaunch(*w));
        QVERIFY(dock->text().contains(second));
        QTemporaryDir later;
        QVERIFY2(w->exportLessonForSlides(later.path(), &error), qPrintable(error));
        QFile laterText(QDir(later.path()).filePath(QStringLiteral("lesson.txt")));
        QVERIFY(laterText.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(laterText.readAll()).contains(second));
        QVERIFY(pressStop(*w));
    }

    // Export ▸ Cluster as configuration…: the cluster as set in the panel, then, once launched,
    // the cluster that runs (not what the panel was changed to since).
    void theClusterExportsAsConfiguration() {
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        QAction* action = w->findChild<QAction*>(QStringLiteral("exportClusterConfig"));
        QVERIFY(action && action->isEnabled());
        auto read = [](const QString& dir, const char* name) {
            QFile file(QDir(dir).filePath(QLatin1String(name)));
            return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
        };
        QTemporaryDir ha, sticky;
        QString error;
        w->clusterPanel()->setMode(Mode::shared_store_ha);
        w->clusterPanel()->nodesBox()->setValue(4);
        QVERIFY2(w->exportClusterConfig(ha.path(), &error), qPrintable(error));
        QVERIFY(read(ha.path(), "haproxy.cfg").contains(QStringLiteral("server node-4")));
        QVERIFY(read(ha.path(), "sentinel.conf").contains(QStringLiteral("sentinel monitor")));
        QVERIFY(read(ha.path(), "compose.yaml").contains(QStringLiteral("node-4:")));
        QVERIFY(!read(ha.path(), "README.txt").isEmpty());

        w->clusterPanel()->setMode(Mode::sticky);
        w->clusterPanel()->nodesBox()->setValue(2);
        QVERIFY(pressLaunch(*w));
        w->clusterPanel()->setMode(Mode::shared_store); // changed after the launch: not what runs
        QVERIFY2(w->exportClusterConfig(sticky.path(), &error), qPrintable(error));
        const QString cfg = read(sticky.path(), "haproxy.cfg");
        QVERIFY2(cfg.contains(QStringLiteral("cookie SRV insert")), qPrintable(cfg));
        QVERIFY(!cfg.contains(QStringLiteral("server node-3")));
        QVERIFY(!QFileInfo::exists(QDir(sticky.path()).filePath(QStringLiteral("redis.conf"))));
        QVERIFY(pressStop(*w));
    }
};

QTEST_MAIN(TestWindowLessons)
#include "tst_window_lessons.moc"
