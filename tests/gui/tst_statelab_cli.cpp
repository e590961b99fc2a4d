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

namespace {

const QString kStatelab = QStringLiteral(STATELAB_BIN_DIR "/statelab");
const QString kSource = QStringLiteral(STATELAB_SOURCE_DIR);

struct Run {
    int exitCode = -1;
    QByteArray out, err;
};

Run run(const QStringList& args, int timeoutMs) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
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
        for (const char* option : {"--scenario", "--autostart", "--export-dir", "--exit-after"})
            QVERIFY2(r.out.contains(option), option);
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
    }
};

QTEST_MAIN(TestStatelabCli)
#include "tst_statelab_cli.moc"
