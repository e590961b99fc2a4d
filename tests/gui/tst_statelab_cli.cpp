// The real `statelab` binary from a script's point of view: --help, a bad scenario (one line,
// exit 2), and --autostart with --export-dir/--exit-after (exit 0, a real screenshot, results).
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include "support/process_tree.hpp"

#include <set>
#include <signal.h>

namespace {

const QString kStatelab = QStringLiteral(STATELAB_BIN_DIR "/statelab");
const QString kSource = QStringLiteral(STATELAB_SOURCE_DIR);

struct Run {
    int exitCode = -1;
    QByteArray out, err;
};

// `display`: false runs it as over ssh: no X11, no Wayland, no offscreen platform chosen.
Run run(const QStringList& args, int timeoutMs, bool display = true) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (display) {
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    } else {
        for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}) env.remove(QLatin1String(name));
    }
    // Without it Qt itself prints a warning line, which would hide whether ours is one line.
    static QTemporaryDir runtimeDir;
    QFile::setPermissions(runtimeDir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir.path());
    process.setProcessEnvironment(env);
    process.start(kStatelab, args);
    Run r;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    r.out = process.readAllStandardOutput();
    r.err = process.readAllStandardError();
    return r;
}

} // namespace

class TestStatelabCli : public QObject {
    Q_OBJECT

private slots:
    void helpListsEveryOption() {
        const Run r = run({QStringLiteral("--help")}, 20000);
        QCOMPARE(r.exitCode, 0);
        for (const char* option : {"--scenario", "--autostart", "--export-dir", "--exit-after", "--compare"})
            QVERIFY2(r.out.contains(option), option);
    }

    // Over ssh, in CI: --help, --version and a bad option answer without a window system.
    void helpWorksWithoutADisplay() {
        const Run help = run({QStringLiteral("--help")}, 20000, false);
        QVERIFY2(help.exitCode == 0 && help.out.contains("--scenario"), help.err.constData());
        const Run version = run({QStringLiteral("--version")}, 20000, false);
        QVERIFY2(version.exitCode == 0 && version.out.contains(STATELAB_VERSION), version.out.constData());
        const Run bad = run({QStringLiteral("--no-such-option")}, 20000, false);
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.contains("no-such-option") && !bad.err.contains("xcb"), bad.err.constData());
    }

    // The window killed with SIGKILL (no chance to stop anything): its cluster dies with it.
    void sigkilledWindowLeavesNoOrphans() {
        QProcess window;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        window.setProcessEnvironment(env);
        window.start(kStatelab, {QStringLiteral("--scenario"), kSource + QStringLiteral("/resources/scenarios/demo.json"),
                                 QStringLiteral("--autostart")});
        QVERIFY(window.waitForStarted());
        const int pid = static_cast<int>(window.processId());
        std::set<int> children;
        QTRY_VERIFY_WITH_TIMEOUT((children = statelab::test::descendants(pid)).size() >= 4, 30000); // 3 nodes, balancer
        ::kill(pid, SIGKILL);
        QVERIFY(window.waitForFinished(5000));
        const int survivor = statelab::test::first_survivor(children, 3000);
        QVERIFY2(survivor == 0, qPrintable(QStringLiteral("pid %1 outlived the window").arg(survivor)));
    }

    void badScenarioIsOneClearLineAndExit2() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("bad.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ \"name\": \"bad\", \"mode\": \"sticky\", \"nodes\": 99 }\n");
        f.close();
        const Run r = run({QStringLiteral("--scenario"), file}, 20000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.trimmed().count('\n') == 0, r.err.constData());
        QVERIFY2(r.err.startsWith("statelab: "), r.err.constData());
        QVERIFY2(r.err.contains("nodes"), r.err.constData());
    }

    void exitAfterExportsScreenshotAndResults() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("export"));
        const Run r = run({QStringLiteral("--scenario"), kSource + QStringLiteral("/resources/scenarios/demo.json"),
                           QStringLiteral("--autostart"), QStringLiteral("--export-dir"), out,
                           QStringLiteral("--exit-after"), QStringLiteral("6")},
                          90000);
        QVERIFY2(r.exitCode == 0, r.err.constData());

        const QImage shot(QDir(out).filePath(QStringLiteral("window.png")));
        QVERIFY(!shot.isNull());
        QVERIFY(shot.width() >= 800 && shot.height() >= 600);
        QSet<QRgb> colours; // a blank (or single-colour) grab has a handful at most
        for (int y = 0; y < shot.height(); y += 7)
            for (int x = 0; x < shot.width(); x += 7) colours.insert(shot.pixel(x, y));
        QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));

        QFile summary(QDir(out).filePath(QStringLiteral("summary.json")));
        QVERIFY(summary.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(summary.readAll()).object();
        QCOMPARE(json.value(QStringLiteral("mode")).toString(), QStringLiteral("sticky"));
        QVERIFY(json.value(QStringLiteral("requests")).toDouble() > 0);
        QVERIFY(QFile::exists(QDir(out).filePath(QStringLiteral("timeseries.csv"))));

        // For slides and reports: each chart as PNG, SVG, PDF and CSV, the dashboard, the report.
        for (const char* stem : {"requests-per-server", "active-sessions-per-server", "lost-sessions-so-far",
                                 "session-hits-misses-lost", "failures-by-kind", "latency-all-nodes",
                                 "session-state-per-server"})
            for (const char* suffix : {".png", ".svg", ".pdf", ".csv"})
                QVERIFY2(QFileInfo(QDir(out).filePath(QLatin1String(stem) + QLatin1String(suffix))).size() > 0,
                         qPrintable(QLatin1String(stem) + QLatin1String(suffix)));
        QCOMPARE(QImage(QDir(out).filePath(QStringLiteral("dashboard.png"))).size(), QSize(1920, 1080));
        QFile report(QDir(out).filePath(QStringLiteral("report.html")));
        QVERIFY(report.open(QIODevice::ReadOnly));
        const QByteArray html = report.readAll();
        QCOMPARE(html.count("<svg"), 7); // no local cache chart: a sticky run has none
        QVERIFY(html.contains(json.value(QStringLiteral("scenario")).toString().toHtmlEscaped().toUtf8()));
    }

    void compareOverlaysRunsOfTheCli() {
        // Two real runs, as statelab-cli writes them: sticky and shared store, the same kill.
        QTemporaryDir dir;
        const QStringList scenarios = {QStringLiteral("sticky-kill"), QStringLiteral("shared-store-kill")};
        QStringList runs;
        for (const QString& name : scenarios) {
            const QString out = dir.filePath(name);
            QProcess cli;
            cli.start(QStringLiteral(STATELAB_BIN_DIR "/statelab-cli"),
                      {QStringLiteral("run"), kSource + QStringLiteral("/resources/scenarios/") + name + QStringLiteral(".json"),
                       QStringLiteral("--out"), out, QStringLiteral("--duration"), QStringLiteral("10")});
            QVERIFY(cli.waitForFinished(60000));
            QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
            runs << out;
        }
        const QString out = dir.filePath(QStringLiteral("compared"));
        const Run r = run(QStringList{QStringLiteral("--compare")} + runs +
                              QStringList{QStringLiteral("--export-dir"), out, QStringLiteral("--exit-after"), QStringLiteral("1")},
                          60000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!QImage(QDir(out).filePath(QStringLiteral("window.png"))).isNull());
        QCOMPARE(QImage(QDir(out).filePath(QStringLiteral("dashboard.png"))).size(), QSize(1920, 1080));
        // One chart per metric with a line per run: the lost-sessions CSV has both runs, and only
        // the sticky one lost anything.
        QFile csv(QDir(out).filePath(QStringLiteral("lost-sessions-so-far.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.first(), QByteArray("t_s,sticky: kill node-2,shared-store: kill node-2"));
        double lost[3] = {0, 0, 0}; // cumulative: the largest value is the run's total
        for (const QByteArray& line : lines.mid(1)) {
            const QList<QByteArray> cells = line.split(',');
            QCOMPARE(cells.size(), 3);
            for (int c = 1; c < 3; ++c) lost[c] = std::max(lost[c], cells[c].toDouble());
        }
        QVERIFY2(lost[1] > 0, "the sticky run lost no session");
        QCOMPARE(lost[2], 0.0);
        for (const char* name : {"requests-per-second.svg", "latency-p99.pdf", "dashboard.svg"})
            QVERIFY2(QFileInfo(QDir(out).filePath(QLatin1String(name))).size() > 0, name);
    }

    void compareNeedsTwoReadableRuns() {
        QTemporaryDir dir;
        Run r = run({QStringLiteral("--compare"), dir.path()}, 20000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("two or more"), r.err.constData());
        r = run({QStringLiteral("--compare"), dir.path(), dir.filePath(QStringLiteral("nope"))}, 20000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.trimmed().count('\n') == 0, r.err.constData());
        QVERIFY2(r.err.contains("summary.json") || r.err.contains("nope"), r.err.constData());
    }
};

QTEST_MAIN(TestStatelabCli)
#include "tst_statelab_cli.moc"
