// The Debian package as a user gets it: cpack builds it from this build tree, dpkg-deb unpacks it
// into a temporary root, and the test checks what a desktop and apt would see (the file list, the
// .desktop entry and AppStream metainfo passing their validators, the control fields) and that
// the unpacked statelab-cli runs a shipped scenario with the unpacked servers, not the build tree's.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "support/kill_on_exit.hpp"
#include "support/required_tool.hpp"

namespace {

const QString app_id = QStringLiteral("io.github.statelab.StateLab");
const QString version = QStringLiteral(STATELAB_VERSION);

struct Outcome {
    int code = -1;
    QString out, err;
};

// Runs a tool to the end (bounded); a tool that hangs is killed, never left behind.
Outcome run(const QString& program, const QStringList& args, int timeout_ms = 60000,
            const QString& work_dir = {}) {
    QProcess process;
    if (!work_dir.isEmpty()) process.setWorkingDirectory(work_dir);
    process.start(program, args);
    Outcome o;
    if (!process.waitForStarted() || !process.waitForFinished(timeout_ms)) {
        process.kill();
        process.waitForFinished(5000);
        o.err = program + " did not finish: " + process.errorString() + "\n" + process.readAllStandardError();
        return o;
    }
    o.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    o.out = QString::fromUtf8(process.readAllStandardOutput());
    o.err = QString::fromUtf8(process.readAllStandardError());
    return o;
}

// The executables the direct children of `pid` run (read from /proc/<child>/exe).
QStringList child_executables(qint64 pid) {
    QStringList out;
    for (const QString& entry : QDir("/proc").entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile stat("/proc/" + entry + "/stat");
        if (!stat.open(QIODevice::ReadOnly)) continue;
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields[1].toLongLong() == pid)
            out << QFileInfo("/proc/" + entry + "/exe").symLinkTarget();
    }
    return out;
}

} // namespace

class TestInstalledPackage : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_deb;  // the package cpack wrote
    QString m_root; // where dpkg-deb unpacked it

    QString unpacked(const QString& path) const { return m_root + "/usr/" + path; }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const Outcome pack = run(QStringLiteral(STATELAB_CPACK),
                                 {"-G", "DEB", "-B", m_dir.filePath("pkg"), "--config",
                                  QStringLiteral(STATELAB_BUILD_DIR "/CPackConfig.cmake")},
                                 240000, QStringLiteral(STATELAB_BUILD_DIR));
        QVERIFY2(pack.code == 0, qPrintable(pack.out + pack.err));
        const QStringList debs = QDir(m_dir.filePath("pkg")).entryList({"*.deb"}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        QVERIFY2(debs.first().startsWith("statelab_" + version + "_"), qPrintable(debs.first()));
        m_deb = m_dir.filePath("pkg/" + debs.first());

        m_root = m_dir.filePath("root");
        const Outcome x = run("dpkg-deb", {"-x", m_deb, m_root});
        QVERIFY2(x.code == 0, qPrintable(x.err));
        m_root = QFileInfo(m_root).canonicalFilePath(); // as /proc/PID/exe names it
    }

    void fileIsInstalled_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("executable");
        for (const char* bin : {"statelab", "statelab-cli", "statelab-backend", "statelab-balancer"})
            QTest::newRow(bin) << QStringLiteral("bin/%1").arg(bin) << true;
        QTest::newRow("desktop") << "share/applications/" + app_id + ".desktop" << false;
        QTest::newRow("metainfo") << "share/metainfo/" + app_id + ".metainfo.xml" << false;
        QTest::newRow("copyright") << QStringLiteral("share/doc/statelab/copyright") << false;
        QTest::newRow("svg icon") << "share/icons/hicolor/scalable/apps/" + app_id + ".svg" << false;
        for (int size : {48, 128, 256})
            QTest::newRow(qPrintable(QStringLiteral("png %1").arg(size)))
                << QStringLiteral("share/icons/hicolor/%1x%1/apps/%2.png").arg(size).arg(app_id) << false;
    }
    void fileIsInstalled() {
        QFETCH(QString, path);
        QFETCH(bool, executable);
        const QFileInfo info(unpacked(path));
        QVERIFY2(info.isFile() && info.size() > 0, qPrintable(path + " is not in " + m_deb));
        QCOMPARE(info.isExecutable(), executable);
    }

    // Every example scenario of the source tree ships, and nothing else lands in the scenarios dir.
    void scenariosShip() {
        const QStringList source = QDir(STATELAB_SOURCE_DIR "/resources/scenarios").entryList({"*.json"}, QDir::Files);
        QVERIFY(source.contains("sticky-kill.json"));
        QCOMPARE(QDir(unpacked("share/statelab/scenarios")).entryList(QDir::Files), source);
    }

    // MIT, said where Debian looks for it (machine-readable copyright format).
    void copyrightSaysMit() {
        QFile file(unpacked("share/doc/statelab/copyright"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"));
        QVERIFY(text.contains("\nLicense: MIT\n"));
    }

    void desktopEntryValidates() {
        const QString path = unpacked("share/applications/" + app_id + ".desktop");
        const Outcome v = run("desktop-file-validate", {path});
        QVERIFY2(v.code == 0 && !v.out.contains("error"), qPrintable(v.out + v.err));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY2(text.contains("\nExec=statelab\n") || text.contains("\nExec=statelab "), qPrintable(text));
        QVERIFY2(text.contains("\nIcon=" + app_id + "\n"), qPrintable(text)); // the icon files' name
    }

    void metainfoValidates() {
        const QString appstreamcli = statelab::test::find_tool("appstreamcli");
        REQUIRE_TOOL(appstreamcli, "appstreamcli (Debian package appstream)");
        const QString path = unpacked("share/metainfo/" + app_id + ".metainfo.xml");
        const Outcome v = run(appstreamcli, {"validate", "--no-net", path});
        QVERIFY2(v.code == 0, qPrintable(v.out + v.err));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.contains("<id>" + app_id + "</id>"));
        QVERIFY(text.contains("<project_license>MIT</project_license>"));
        QVERIFY(text.contains("<launchable type=\"desktop-id\">" + app_id + ".desktop</launchable>"));
        QVERIFY(text.contains("<release version=\"" + version + "\""));
    }

    void controlFields() {
        const auto field = [this](const QString& name) {
            return run("dpkg-deb", {"-f", m_deb, name}).out.trimmed();
        };
        QCOMPARE(field("Package"), QStringLiteral("statelab"));
        QCOMPARE(field("Version"), version);
        const QString depends = field("Depends");
        for (const char* lib : {"libqt6widgets6", "libqt6charts6", "libhiredis", "libssl3", "libboost-program-options"})
            QVERIFY2(depends.contains(lib), qPrintable(QStringLiteral("%1 not in Depends: %2").arg(lib, depends)));
        QVERIFY2(depends.contains("qt6-qpa-plugins"), qPrintable(depends));
        QVERIFY2(field("Recommends").contains("redis-server"), qPrintable(field("Recommends")));
        QVERIFY2(field("Suggests").contains("haproxy"), qPrintable(field("Suggests")));
        QVERIFY(!field("Maintainer").isEmpty());
    }

    // The window program starts from the unpacked tree (every library it links resolves).
    void unpackedGuiStarts() {
        const Outcome v = run(unpacked("bin/statelab"), {"--version"}, 20000);
        QVERIFY2(v.code == 0 && v.out.contains(version), qPrintable(v.out + v.err));
    }

    // The unpacked window runs a shipped scenario (its servers found next to it) and exports it.
    void unpackedGuiRunsAndExportsShippedScenario() {
        QTemporaryDir out;
        QTemporaryDir runtime; // Qt wants a private XDG_RUNTIME_DIR; without one it warns
        QProcess gui;
        KillOnExit guard{gui};
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("XDG_RUNTIME_DIR", runtime.path());
        env.insert("STATELAB_RUNS_DIR", out.filePath("kept"));
        gui.setProcessEnvironment(env);
        gui.start(unpacked("bin/statelab"), {"--scenario", unpacked("share/statelab/scenarios/demo.json"), "--autostart",
                                             "--export-dir", out.filePath("export"), "--exit-after", "6"});
        QVERIFY(gui.waitForFinished(90000));
        const QString err = QString::fromUtf8(gui.readAllStandardError());
        QVERIFY2(gui.exitStatus() == QProcess::NormalExit && gui.exitCode() == 0, qPrintable(err));
        QFile summary(out.filePath("export/summary.json"));
        QVERIFY2(summary.open(QIODevice::ReadOnly), qPrintable(err));
        QVERIFY2(QJsonDocument::fromJson(summary.readAll()).object()["requests"].toInteger() > 0, qPrintable(err));
        for (const char* file : {"window.png", "report.html", "dashboard.pdf"})
            QVERIFY2(QFileInfo(out.filePath(QString("export/") + file)).size() > 0, file);
    }

    // A shipped scenario, run by the unpacked CLI, which must start the unpacked servers.
    void unpackedCliRunsShippedScenario() {
        QTemporaryDir out;
        QProcess cli;
        KillOnExit guard{cli};
        cli.start(unpacked("bin/statelab-cli"), {"run", unpacked("share/statelab/scenarios/sticky-kill.json"),
                                                 "--out", out.path(), "--duration", "6"});
        QVERIFY(cli.waitForStarted());
        QStringList servers;
        QString err;
        cli.setReadChannel(QProcess::StandardError);
        QElapsedTimer clock;
        clock.start();
        while (cli.state() == QProcess::Running && clock.elapsed() < 60000) {
            cli.waitForReadyRead(100);
            while (cli.canReadLine()) {
                const QString line = QString::fromUtf8(cli.readLine());
                err += line;
                if (line.contains("cluster up")) servers = child_executables(cli.processId());
            }
        }
        if (cli.state() != QProcess::NotRunning) QVERIFY2(cli.waitForFinished(5000), qPrintable(err));
        err += QString::fromUtf8(cli.readAllStandardError());
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QVERIFY2(cli.exitCode() == 0, qPrintable(err));

        QVERIFY2(servers.size() >= 4, qPrintable(servers.join(' ') + "\n" + err)); // 3 nodes, balancer
        for (const QString& exe : servers)
            QVERIFY2(exe.startsWith(m_root + "/usr/bin/statelab-"), qPrintable(exe));

        QFile summary(out.filePath("summary.json"));
        QVERIFY2(summary.open(QIODevice::ReadOnly), qPrintable(err));
        const QJsonObject s = QJsonDocument::fromJson(summary.readAll()).object();
        QVERIFY2(s["requests"].toInteger() > 0, qPrintable(err));
        QCOMPARE(s["scenario"].toString(), QStringLiteral("sticky: kill node-2"));
    }
};

QTEST_GUILESS_MAIN(TestInstalledPackage)
#include "tst_installed_package.moc"
