// The window drives somebody else's system (a scenario with "target", issue 15 part 1), as a user
// does: the scenario loaded, Ctrl+R plays it with nothing launched; the tiles are the servers the
// answers named; the Kill button on a tile runs the scenario's command, whose output lands in the
// event log; the window's lost count is the run's. Then a second run in the same window, whose
// scenario names no served_by: the per-server chart says "not known" instead of guessing.
#include "window_driver.hpp"

#include "compare/run_record.hpp"
#include "support/own_system.hpp"

#include <QAbstractButton>
#include <QFile>
#include <QMessageBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace statelab;
using namespace statelab::gui;
using namespace statelab::gui::test;

namespace {

const QString example = QStringLiteral(STATELAB_SOURCE_DIR "/resources/targets/own-app-shop.json");

// The shipped example pointed at `url`, with these users, seconds, served_by and actions.
QString write_scenario(const QTemporaryDir& dir, const QString& file, const QString& url, int users, double seconds,
                       const nlohmann::json& served_by, const nlohmann::json& actions) {
    QFile in(example);
    if (!in.open(QIODevice::ReadOnly)) return {};
    nlohmann::json s = nlohmann::json::parse(in.readAll().toStdString());
    s["name"] = file.toStdString();
    s["target"] = {{"url", url.toStdString()}, {"served_by", served_by}};
    s["actions"] = actions;
    s["traffic"]["users"] = users;
    s["duration_s"] = seconds;
    s["timeline"] = nlohmann::json::array();
    const QString path = dir.filePath(file + ".json");
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly)) return {};
    out.write(QByteArray::fromStdString(s.dump(2)));
    return path;
}

// The dialog that asks before a scenario's commands run: it lists `command`; Run or Cancel.
bool answerConsent(MainWindow& w, const QString& command, bool run) {
    QMessageBox* box = nullptr;
    QDeadlineTimer deadline(5000);
    while (!(box = w.findChild<QMessageBox*>(QStringLiteral("commandConsent"))) || !box->isVisible()) {
        if (deadline.hasExpired()) return false;
        QTest::qWait(20);
    }
    if (!box->informativeText().contains(command)) {
        qWarning("the dialog does not list %s: %s", qPrintable(command), qPrintable(box->informativeText()));
        return false;
    }
    if (run) {
        for (QAbstractButton* b : box->buttons())
            if (b->text() == QLatin1String("Run")) QTest::mouseClick(b, Qt::LeftButton);
    } else {
        QTest::keyClick(box, Qt::Key_Escape);
    }
    QDeadlineTimer closed(5000);
    while (w.findChild<QMessageBox*>(QStringLiteral("commandConsent")) && box->isVisible()) {
        if (closed.hasExpired()) return false;
        QTest::qWait(20);
    }
    // The window manager gives the window its focus back when the box closes; offscreen, the test does.
    w.activateWindow();
    return QTest::qWaitForWindowActive(&w);
}

ChartViewBase* chart(MainWindow& w, const QString& key) {
    for (ChartViewBase* c : w.charts())
        if (c->spec().key == key) return c;
    return nullptr;
}

QJsonObject summary_of(const QString& dir) {
    QFile file(dir + QStringLiteral("/summary.json"));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

class TestWindowTarget : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("STATELAB_RUNS_DIR", m_runs.path().toUtf8()); }

    void ownSystemFromTheWindowTwice() {
        statelab::test::OwnSystem own;
        QVERIFY2(own.start(), qPrintable(own.error));
        QTemporaryDir dir;
        const std::string kill_b = "kill -9 " + std::to_string(own.nodes[1]->pid()) + " && echo web-b is gone";
        const QString first = write_scenario(dir, "own-system", own.url(), 60, 5, {{"header", "X-Served-By"}},
                                             {{"web-b", {{"kill", kill_b}}}});
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get())); // where Ctrl+R lands
        QString error;
        QVERIFY2(w->loadScenario(first, &error), qPrintable(error));
        QTest::keyClick(w.get(), Qt::Key_R, Qt::ControlModifier);
        // The file runs a command: the window lists it and asks first.
        QVERIFY(answerConsent(*w, QString::fromStdString(kill_b), true));
        for (const char* name : {"web-a", "web-b", "web-c"})
            QTRY_VERIFY2_WITH_TIMEOUT(w->nodeGrid()->tile(name) != nullptr, qPrintable(w->eventLog()->lines().join(" | ")), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(w->tally().requests > 300, 10000);
        QCOMPARE(w->nodeGrid()->tile("web-b")->stateText(), QStringLiteral("up"));
        QTest::mouseClick(w->nodeGrid()->tile("web-b")->button(QStringLiteral("kill")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(logHas(*w, QStringLiteral("web-b is gone")), 5000);
        QVERIFY(own.nodes[1]->wait_for_exit(2000));
        // Nobody tells the window a server of somebody else's died: it stops answering.
        QTRY_COMPARE_WITH_TIMEOUT(w->nodeGrid()->tile("web-b")->stateText(), QStringLiteral("down"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!w->keptRunDir().isEmpty(), 20000);
        const QString firstRun = w->keptRunDir();
        const QJsonObject summary = summary_of(firstRun);
        const double lost = summary.value("sessions").toObject().value("lost").toDouble();
        QVERIFY2(lost > 0, "the sessions web-b held are lost");
        QCOMPARE(lost, static_cast<double>(w->tally().lost));
        QCOMPARE(summary.value("target").toObject().value("served_by").toString(), QStringLiteral("header X-Served-By"));
        QVERIFY(!chart(*w, "requests")->data().titleNote().contains("not known"));
        // The traffic is over: silence is expected, and servers that are up are not shown DOWN.
        QTRY_COMPARE_WITH_TIMEOUT(w->nodeGrid()->tile("web-a")->stateText(), QStringLiteral("no traffic"), 5000);
        QCOMPARE(w->nodeGrid()->tile("web-c")->stateText(), QStringLiteral("no traffic"));
        QVERIFY(w->nodeGrid()->tile("web-a")->button(QStringLiteral("kill"))->toolTip().contains("No command"));
        QVERIFY(!w->nodeGrid()->tile("web-a")->button(QStringLiteral("kill"))->isEnabled()); // web-a has no command

        // The same window, a scenario that names no served_by: no guess per server.
        const QString second = write_scenario(dir, "not-known", own.url(), 30, 2, "none", nlohmann::json::object());
        QVERIFY2(w->loadScenario(second, &error), qPrintable(error));
        QTest::keyClick(w.get(), Qt::Key_R, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!w->keptRunDir().isEmpty() && w->keptRunDir() != firstRun, 20000);
        QVERIFY2(chart(*w, "requests")->data().titleNote().contains("which server answered: not known"),
                 qPrintable(chart(*w, "requests")->data().titleNote()));
        QVERIFY(w->nodeGrid()->tile("web-a") == nullptr);
        const QJsonObject again = summary_of(w->keptRunDir());
        QCOMPARE(again.value("target").toObject().value("served_by").toString(), QStringLiteral("not known"));
        QVERIFY(again.value("per_node").toArray().isEmpty());
        QCOMPARE(again.value("sessions").toObject().value("lost").toDouble(), static_cast<double>(w->tally().lost));
        QCOMPARE(w->tally().lost, std::uint64_t(0)); // the first run's loss is not carried over
        QVERIFY(w->tally().requests > 100);
    }

    // A scenario with commands runs nothing until its commands were shown and Run was pressed:
    // Cancel launches nothing and runs nothing; Run plays it. The answer holds for that file
    // content: the same file again does not ask, an edited one does.
    void commandsRunOnlyAfterTheUserSaysRun() {
        statelab::test::OwnSystem own;
        QVERIFY2(own.start(), qPrintable(own.error));
        QTemporaryDir dir;
        const QString owned = dir.filePath(QStringLiteral("owned"));
        const std::string touch = "touch " + owned.toStdString();
        const QString path = write_scenario(dir, "sent", own.url(), 10, 2, {{"header", "X-Served-By"}},
                                            {{"web-b", {{"kill", touch}}}});
        {   // its timeline runs the command at 0.5 s
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            nlohmann::json s = nlohmann::json::parse(f.readAll().toStdString());
            f.close();
            s["timeline"] = nlohmann::json::array({{{"at_s", 0.5}, {"action", "kill"}, {"target", "web-b"}}});
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QByteArray::fromStdString(s.dump(2)));
        }
        auto w = makeWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        QString error;
        QVERIFY2(w->loadScenario(path, &error), qPrintable(error));
        QTest::keyClick(w.get(), Qt::Key_R, Qt::ControlModifier);
        QVERIFY(answerConsent(*w, QString::fromStdString(touch), false));
        QVERIFY(!w->bridge()->isLaunched());
        QVERIFY(w->clusterPanel()->launchButton()->isEnabled()); // nothing on its way either
        QVERIFY(!QFile::exists(owned));

        QTest::keyClick(w.get(), Qt::Key_R, Qt::ControlModifier);
        QVERIFY(answerConsent(*w, QString::fromStdString(touch), true));
        QTRY_VERIFY2_WITH_TIMEOUT(QFile::exists(owned), qPrintable(w->eventLog()->lines().join(" | ")), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!w->keptRunDir().isEmpty(), 20000);

        // The same content again: no question. Edited: asked again.
        QVERIFY(QFile::remove(owned));
        QVERIFY2(w->loadScenario(path, &error), qPrintable(error));
        QTest::keyClick(w.get(), Qt::Key_R, Qt::ControlModifier);
        QTRY_VERIFY2_WITH_TIMEOUT(QFile::exists(owned), qPrintable(w->eventLog()->lines().join(" | ") + " || " + w->statusText()), 15000);
        QVERIFY(!w->findChild<QMessageBox*>(QStringLiteral("commandConsent")));
        QTRY_VERIFY_WITH_TIMEOUT(!w->keptRunDir().isEmpty(), 20000);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::Append));
            f.write("\n");
        }
        QVERIFY2(w->loadScenario(path, &error), qPrintable(error));
        QTest::keyClick(w.get(), Qt::Key_R, Qt::ControlModifier);
        QVERIFY(answerConsent(*w, QString::fromStdString(touch), false));
    }

private:
    QTemporaryDir m_runs;
};

QTEST_MAIN(TestWindowTarget)
#include "tst_window_target.moc"
