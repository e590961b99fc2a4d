// A lesson file: loaded with its steps' actions in the scenario's timeline; a bad one gives
// one line naming the file and field; the prediction held against a summary.json, figure by
// figure, and the measured sentence filled in.
#include "lab_files.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace statelab;

namespace {

const char* good = R"({
  "title": "A sticky server dies", "why": "Because.",
  "scenario": {"mode": "sticky", "nodes": 3, "duration_s": 10, "traffic": {"users": 300}},
  "steps": [
    {"at_s": 0, "text": "Shop.", "watch": "requests"},
    {"at_s": 4, "next": true, "text": "Kill.", "watch": "lost-so-far", "do": [{"action": "kill", "target": "node-2"}]}
  ],
  "prediction": {"text": "A third lose carts.", "measured": "{lost_by.kill node-2} of {users} lost; {cache.ratio%} local.",
                 "checks": [{"figure": "lost_by.kill node-2", "per_user": true, "min": 0.2, "max": 0.5},
                            {"figure": "events.kill", "min": 1}]}
})";

std::filesystem::path write(const QTemporaryDir& dir, const std::string& name, const std::string& text) {
    const auto path = std::filesystem::path(dir.path().toStdString()) / name;
    std::ofstream(path) << text;
    return path;
}

std::string summary(int lost) {
    return R"({"sessions": {"lost": )" + std::to_string(lost) + R"(}, "cache": {"ratio": 0.987},
               "events": [{"action": "kill", "target": "node-2", "lost": )" + std::to_string(lost) + "}]}";
}

} // namespace

class TstLesson : public QObject {
    Q_OBJECT
private slots:
    void loadsStepsIntoTheTimeline() {
        QTemporaryDir dir;
        const LessonResult r = load_lesson_file(write(dir, "01-sticky-node-dies.json", good));
        QVERIFY2(r, r.error.c_str());
        QCOMPARE(r.lesson->name, std::string("sticky-node-dies"));
        QCOMPARE(r.lesson->scenario.timeline.size(), std::size_t(1));
        QCOMPARE(r.lesson->scenario.timeline[0].at_s, 4.0);
        QCOMPARE(r.lesson->scenario.timeline[0].target, std::string("node-2"));
        QCOMPARE(r.lesson->holds(), std::vector<double>{4.0});
    }

    void badFilesSayWhichField_data() {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("said");
        QTest::newRow("chart") << R"("watch": "requests")" << R"("watch": "pie")" << "steps[0].watch";
        QTest::newRow("target") << R"("target": "node-2")" << R"("target": "node-9")" << "node-9";
        QTest::newRow("no checks") << R"("checks": [)" << R"("nochecks": [)" << "prediction.checks";
        QTest::newRow("late step") << R"("at_s": 4,)" << R"("at_s": 40,)" << "after the scenario's duration_s";
        QTest::newRow("json") << R"("why": "Because.",)" << R"("why": "Because.")" << "parse error";
        // A lesson opens with a click: never somebody else's system, never a command.
        QTest::newRow("scenario target") << R"("nodes": 3,)"
                                         << R"("nodes": 3, "target": {"url": "http://127.0.0.1:8080"},)" << "scenario.target";
        QTest::newRow("scenario actions") << R"("nodes": 3,)"
                                          << R"("nodes": 3, "actions": {"node-2": {"kill": "touch ~/owned"}},)" << "scenario.actions";
        QTest::newRow("actions") << R"("why": "Because.",)"
                                 << R"("why": "Because.", "actions": {"node-2": {"kill": "id"}},)" << "'actions'";
    }
    // Not a lesson at all: too large, or nested deeper than any lesson is (400,000 levels once
    // crashed `lesson --list` and the window at start). One line each, no crash.
    void hostileFilesAreRefusedInOneLine() {
        QTemporaryDir dir;
        const LessonResult deep = load_lesson_file(write(dir, "03-deep.json", std::string(400000, '[') + std::string(400000, ']')));
        QVERIFY(!deep);
        QVERIFY2(deep.error.find("nested more than") != std::string::npos, deep.error.c_str());
        const LessonResult big = load_lesson_file(write(dir, "04-big.json", "\"" + std::string(2 * 1024 * 1024, 'x') + "\""));
        QVERIFY(!big);
        QVERIFY2(big.error.find("far too large") != std::string::npos, big.error.c_str());
    }

    void badFilesSayWhichField() {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, said);
        std::string text = good;
        const auto at = text.find(from.toStdString());
        QVERIFY(at != std::string::npos);
        text.replace(at, static_cast<std::size_t>(from.size()), to.toStdString());
        QTemporaryDir dir;
        const LessonResult r = load_lesson_file(write(dir, "02-bad.json", text));
        QVERIFY(!r);
        QVERIFY2(r.error.find("02-bad.json: ") != std::string::npos, r.error.c_str());
        QVERIFY2(r.error.find(said.toStdString()) != std::string::npos, r.error.c_str());
        QVERIFY(r.error.find('\n') == std::string::npos);
    }

    void predictionHeldAgainstTheSummary() {
        QTemporaryDir dir;
        const Lesson lesson = *load_lesson_file(write(dir, "01-a.json", good)).lesson;
        const LessonVerdict held = check_lesson(lesson, summary(90));
        QVERIFY(held.held);
        QCOMPARE(held.measured, std::string("90 of 300 lost; 99% local."));
        QCOMPARE(held.paragraph(lesson), std::string("Predicted: A third lose carts. Measured: 90 of 300 lost; 99% local. The prediction held."));
        const LessonVerdict low = check_lesson(lesson, summary(3));
        QVERIFY(!low.held);
        QCOMPARE(low.misses.size(), std::size_t(1));
        QVERIFY2(low.paragraph(lesson).find("lost_by.kill node-2 per user was 0.01, predicted 0.20 to 0.50") !=
                     std::string::npos, low.paragraph(lesson).c_str());
        const LessonVerdict missing = check_lesson(lesson, "{}");
        QCOMPARE(missing.misses.size(), std::size_t(2)); // no events: no kill, and nothing lost by one
        QVERIFY(!missing.held);
    }

    void everyShippedLessonLoads() {
        const auto files = lesson_files(STATELAB_SOURCE_DIR "/resources/lessons");
        QVERIFY(files.size() >= 10);
        for (const auto& file : files) {
            const LessonResult r = load_lesson_file(file);
            QVERIFY2(r, r.error.c_str());
            QVERIFY(r.lesson->steps.size() >= 2);
        }
    }
};

QTEST_GUILESS_MAIN(TstLesson)
#include "tst_lesson.moc"
