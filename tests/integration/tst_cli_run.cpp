// statelab-cli as scripts and CI use it: the real binary, run with QProcess. A run writes the
// summary.json and timeseries.csv that DESIGN.md promises and reports progress once a second;
// Ctrl-C still writes results; SIGKILL leaves no server behind; bad input is one clear line and
// exit code 2, with nothing started.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include "model/cluster_settings.hpp"
#include "support/process_tree.hpp"
#include "support/cluster.hpp"
#include "support/free_port.hpp"
#include "support/kill_on_exit.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using statelab::test::descendants;
using statelab::test::launched_programs;
using statelab::test::process_gone;

namespace {

const QString cli = QStringLiteral(STATELAB_BIN_DIR "/statelab-cli");
const QString scenarios = QStringLiteral(STATELAB_SOURCE_DIR "/resources/scenarios");

QString write_file(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) file.write(text);
    return path;
}

// A short sticky run: no timeline, `duration` seconds of 100 users.
QByteArray quiet_scenario(int duration_s, const char* mode = "sticky") {
    return QStringLiteral(R"({ "name": "cli test", "mode": "%1", "nodes": 2, "balancer": "builtin",
  "duration_s": %2, "traffic": { "users": 100, "think_ms": 100, "journey": "shop", "rate": 0 },
  "timeline": [] })")
        .arg(mode)
        .arg(duration_s)
        .toUtf8();
}

// Runs statelab-cli to the end (bounded) and returns its exit code, stdout and stderr.
struct Outcome {
    int code = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    QString out, err;
};

Outcome run_cli(const QStringList& args, int timeout_ms = 15000) {
    QProcess process;
    process.start(cli, args);
    Outcome o;
    if (!process.waitForStarted() || !process.waitForFinished(timeout_ms)) {
        process.kill();
        process.waitForFinished();
        o.err = "statelab-cli did not finish: " + process.readAllStandardError();
        return o;
    }
    o.code = process.exitCode();
    o.status = process.exitStatus();
    o.out = QString::fromUtf8(process.readAllStandardOutput());
    o.err = QString::fromUtf8(process.readAllStandardError());
    return o;
}

// Reads stderr line by line until a line contains `needle` (or the time is up).
bool wait_for_stderr(QProcess& process, const QString& needle, QString& seen, int timeout_ms = 20000) {
    if (!process.waitForStarted()) return false;
    QElapsedTimer timer;
    timer.start();
    process.setReadChannel(QProcess::StandardError);
    while (timer.elapsed() < timeout_ms) {
        while (process.canReadLine()) {
            const QString line = QString::fromUtf8(process.readLine());
            seen += line;
            if (line.contains(needle)) return true;
        }
        if (process.state() != QProcess::Running) return false;
        process.waitForReadyRead(200);
    }
    return false;
}

bool is_integer(const QJsonValue& v) { return v.isDouble() && v.toDouble() == static_cast<double>(v.toInteger()); }

} // namespace

class TestCliRun : public QObject {
    Q_OBJECT

private slots:
    // The raw load loop against a real app server: answers counted, the rate printed.
    void benchMeasuresARealServer() {
        statelab::test::ClusterOptions options;
        options.nodes = 1;
        options.with_balancer = false;
        statelab::test::Cluster cluster(options);
        QVERIFY2(cluster.start(), qPrintable(cluster.error()));
        const QString url = QStringLiteral("http://127.0.0.1:%1/healthz").arg(cluster.node(1).port());
        const Outcome o = run_cli({"bench", "--url", url, "--connections", "8", "--duration", "1"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const QRegularExpression rate("requests/s: ([0-9.]+)");
        const auto m = rate.match(o.out);
        QVERIFY2(m.hasMatch() && m.captured(1).toDouble() > 100, qPrintable(o.out));
        QVERIFY2(o.out.contains("errors: 0  timeouts: 0  non-2xx: 0"), qPrintable(o.out));
    }

    // A server that accepts and never answers cannot hold the bench past its bound
    // (duration + 2 s): it ends, every connection's request counted as a timeout, and exits 1
    // (nothing was measured).
    // A wrong port is said at once; a closed one is retried with a pause, not 100,000 times a second.
    void benchChecksThePort_data() {
        QTest::addColumn<QString>("port");
        for (const char* p : {"99999", "0", "abc", "", "4294967297"}) QTest::newRow(p) << QString::fromLatin1(p);
    }
    void benchChecksThePort() {
        QFETCH(QString, port);
        const Outcome o = run_cli({"bench", "--url", "http://127.0.0.1:" + port + "/", "--duration", "1"});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("port must be 1..65535"), qPrintable(o.err));
        QCOMPARE(o.err.trimmed().count('\n'), 0);
    }
    void benchBacksOffAClosedPort() {
        const quint16 closed = statelab::test::free_port();
        const Outcome o = run_cli({"bench", "--url", QStringLiteral("http://127.0.0.1:%1/").arg(closed), "--duration", "2",
                                   "--connections", "2"});
        QCOMPARE(o.code, 1); // nothing answered
        const QRegularExpression errors(QStringLiteral("errors: (\\d+)"));
        const auto match = errors.match(o.out + o.err);
        QVERIFY2(match.hasMatch(), qPrintable(o.out + o.err));
        QVERIFY2(match.captured(1).toInt() < 100, qPrintable(o.out + o.err)); // 2 connections, 2 s, pauses up to 200 ms
    }

    void benchEndsAgainstASilentServer() {
        QTcpServer silent; // connections complete in the kernel backlog; nothing is ever read
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QElapsedTimer clock;
        clock.start();
        const Outcome o = run_cli({"bench", "--url", QStringLiteral("http://127.0.0.1:%1/").arg(silent.serverPort()),
                                   "--connections", "4", "--duration", "1"});
        QVERIFY2(o.code == 1, qPrintable(o.err + o.out));
        QVERIFY2(clock.elapsed() < 6000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(o.out.contains("requests/s: 0.00"), qPrintable(o.out));
        QVERIFY2(o.out.contains("timeouts: 4"), qPrintable(o.out));
    }

    void initTestCase() {
        QVERIFY2(QFile::exists(cli), "build statelab-cli, statelab-backend and statelab-balancer first");
        QVERIFY(QFile::exists(scenarios + "/sticky-kill.json"));
    }

    // The example scenario, cut to 10 s: node-2 dies at 8 s.
    void runWritesSummaryAndTimeseries() {
        QTemporaryDir out;
        QProcess process;
        KillOnExit guard{process};
        process.start(cli, {"run", scenarios + "/sticky-kill.json", "--out", out.path(), "--duration", "10"});
        QVERIFY(process.waitForStarted());

        // Progress lines, with the time each arrived.
        QElapsedTimer clock;
        clock.start();
        QList<qint64> progress_at;
        QString err;
        process.setReadChannel(QProcess::StandardError);
        while (process.state() == QProcess::Running && clock.elapsed() < 30000) {
            process.waitForReadyRead(100);
            while (process.canReadLine()) {
                const QString line = QString::fromUtf8(process.readLine());
                err += line;
                if (line.contains("req/s")) progress_at << clock.elapsed();
            }
        }
        if (process.state() != QProcess::NotRunning) QVERIFY2(process.waitForFinished(5000), qPrintable(err));
        err += QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 0, qPrintable(err));

        QVERIFY2(progress_at.size() >= 8 && progress_at.size() <= 11, qPrintable(err));
        QList<qint64> gaps;
        for (int i = 1; i < progress_at.size(); ++i) gaps << progress_at[i] - progress_at[i - 1];
        std::sort(gaps.begin(), gaps.end());
        const qint64 median_gap = gaps[gaps.size() / 2];
        QVERIFY2(median_gap >= 700 && median_gap <= 1300, qPrintable(QString::number(median_gap)));

        // summary.json: every key of DESIGN.md's format, with its type.
        QFile summary_file(out.filePath("summary.json"));
        QVERIFY(summary_file.open(QIODevice::ReadOnly));
        QJsonParseError parse_error;
        const QJsonDocument doc = QJsonDocument::fromJson(summary_file.readAll(), &parse_error);
        QVERIFY2(doc.isObject(), qPrintable(parse_error.errorString()));
        const QJsonObject s = doc.object();
        QCOMPARE(s["scenario"].toString(), "sticky: kill node-2");
        QCOMPARE(s["mode"].toString(), "sticky");
        QVERIFY(s["duration_s"].isDouble());
        QVERIFY2(s["duration_s"].toDouble() >= 9.5 && s["duration_s"].toDouble() <= 12, qPrintable(QString::number(s["duration_s"].toDouble())));
        QVERIFY(is_integer(s["requests"]) && s["requests"].toInteger() > 1000);
        const QJsonObject failures = s["failures"].toObject();
        for (const char* key : {"connect", "reset", "timeout", "http_5xx", "http_4xx"})
            QVERIFY2(is_integer(failures[key]), key);
        const QJsonObject sessions = s["sessions"].toObject();
        for (const char* key : {"created", "hits", "misses", "lost"}) QVERIFY2(is_integer(sessions[key]), key);
        QVERIFY(sessions["created"].toInteger() > 0 && sessions["hits"].toInteger() > 0);
        QVERIFY2(sessions["lost"].toInteger() > 0, "node-2 was killed: its sessions are lost");
        const QJsonObject latency = s["latency_ms"].toObject();
        for (const char* key : {"p50", "p95", "p99", "max"}) QVERIFY2(latency[key].isDouble(), key);
        QVERIFY(latency["p50"].toDouble() <= latency["p99"].toDouble());
        QVERIFY(latency["p99"].toDouble() <= latency["max"].toDouble());
        const QJsonArray per_node = s["per_node"].toArray();
        QCOMPARE(per_node.size(), 3);
        for (int i = 0; i < per_node.size(); ++i) {
            const QJsonObject node = per_node[i].toObject();
            QCOMPARE(node["name"].toString(), QStringLiteral("node-%1").arg(i + 1));
            QVERIFY(is_integer(node["requests"]) && node["requests"].toInteger() > 0);
            QVERIFY(is_integer(node["sessions_peak"]) && node["sessions_peak"].toInteger() > 0);
        }
        bool kill_seen = false;
        for (const QJsonValue& v : s["events"].toArray()) {
            const QJsonObject e = v.toObject();
            QVERIFY(e["t_s"].isDouble() && e["action"].isString() && e["target"].isString());
            if (e["action"] == "kill" && e["target"] == "node-2") {
                kill_seen = true;
                QVERIFY2(e["t_s"].toDouble() >= 8 && e["t_s"].toDouble() < 10, qPrintable(QString::number(e["t_s"].toDouble())));
            }
        }
        QVERIFY(kill_seen);

        // timeseries.csv: the exact header; one row per interval (250 ms) per node, plus `*`.
        QFile csv(out.filePath("timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.first(), QByteArray("t_s,node,requests,errors,hits,misses,lost,p50_ms,p99_ms,moved,duplicates,expired,leaked,stale"));
        QMap<QByteArray, QSet<QByteArray>> nodes_at; // t_s -> nodes
        for (int i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> fields = lines[i].split(',');
            QCOMPARE(fields.size(), 14);
            QVERIFY2(!nodes_at[fields[0]].contains(fields[1]), lines[i].constData());
            nodes_at[fields[0]].insert(fields[1]);
        }
        const QSet<QByteArray> expected{"*", "node-1", "node-2", "node-3"};
        for (auto it = nodes_at.begin(); it != nodes_at.end(); ++it) QCOMPARE(it.value(), expected);
        const double duration = s["duration_s"].toDouble();
        QVERIFY2(nodes_at.size() >= 4 * duration - 3 && nodes_at.size() <= 4 * duration + 2,
                 qPrintable(QStringLiteral("%1 intervals in %2 s").arg(nodes_at.size()).arg(duration)));
    }

    // Ctrl-C stops the run early, still writes the results, and takes the cluster down.
    void sigintStopsAndStillWritesResults_data() {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGHUP") << int(SIGHUP); // the terminal closed: it exited at once, writing nothing
    }
    void sigintStopsAndStillWritesResults() {
        QFETCH(int, signal);
        QTemporaryDir dir;
        const QString scenario = write_file(dir, "long.json", quiet_scenario(30));
        QProcess process;
        KillOnExit guard{process};
        process.start(cli, {"run", scenario, "--out", dir.filePath("out")});
        QString err;
        QVERIFY2(wait_for_stderr(process, "cluster up", err), qPrintable(err));
        const std::set<int> children = descendants(static_cast<int>(process.processId()));
        QVERIFY2(children.size() >= 3, qPrintable(err)); // node-1, node-2, balancer
        QVERIFY2(wait_for_stderr(process, "req/s", err), qPrintable(err)); // traffic is flowing

        ::kill(static_cast<pid_t>(process.processId()), signal);
        QVERIFY2(process.waitForFinished(10000), "statelab-cli did not stop on the signal");
        err += QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 130 || process.exitCode() == 0, qPrintable(err));
        QVERIFY2(err.contains("interrupted"), qPrintable(err));

        QFile summary(dir.filePath("out/summary.json"));
        QVERIFY(summary.open(QIODevice::ReadOnly));
        const QJsonObject s = QJsonDocument::fromJson(summary.readAll()).object();
        QVERIFY(s["requests"].toInteger() > 0);
        QVERIFY2(s["duration_s"].toDouble() < 10, qPrintable(QString::number(s["duration_s"].toDouble())));
        QVERIFY(QFile::exists(dir.filePath("out/timeseries.csv")));
        for (int pid : children) QVERIFY2(process_gone(pid), qPrintable(QString::number(pid)));
    }

    // SIGKILL gives the CLI no chance to clean up: its children must die with it anyway.
    void sigkillLeavesNoOrphans() {
        QTemporaryDir dir;
        const QString scenario = write_file(dir, "long.json", quiet_scenario(30, "shared-store"));
        QProcess process;
        KillOnExit guard{process};
        process.start(cli, {"run", scenario, "--out", dir.filePath("out")});
        QString err;
        QVERIFY2(wait_for_stderr(process, "cluster up", err), qPrintable(err));
        const std::set<int> children = descendants(static_cast<int>(process.processId()));
        QVERIFY2(children.size() >= 4, qPrintable(err)); // redis, node-1, node-2, balancer
        QVERIFY2(wait_for_stderr(process, "req/s", err), qPrintable(err)); // traffic is flowing

        ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
        QVERIFY(process.waitForFinished(5000));
        QElapsedTimer since_kill;
        since_kill.start();
        for (int pid : children) {
            while (!process_gone(pid) && since_kill.elapsed() < 2000) QTest::qWait(20);
            QVERIFY2(process_gone(pid), qPrintable(QStringLiteral("pid %1 outlived statelab-cli").arg(pid)));
        }
    }

    // Each timeline action does what it says, as timeseries.csv shows it: a stopped node drains
    // (1 s of grace while the balancer sees it leave) and then serves nothing until restarted, a paused one nothing until resumed, an added node serves
    // until it is removed, and `set` changes the load.
    void timelineActionsDoWhatTheySay() {
        QTemporaryDir dir;
        const QString scenario = write_file(dir, "actions.json", R"({ "name": "every action", "mode": "shared-store",
  "nodes": 3, "duration_s": 14, "traffic": { "users": 60, "think_ms": 100, "journey": "shop" },
  "timeline": [ { "at_s": 1, "action": "stop", "target": "node-1" },
                { "at_s": 3, "action": "restart", "target": "node-1" },
                { "at_s": 5, "action": "pause", "target": "node-2" },
                { "at_s": 7, "action": "resume", "target": "node-2" },
                { "at_s": 9, "action": "add" },
                { "at_s": 11, "action": "remove", "target": "node-4" },
                { "at_s": 12, "action": "set", "users": 10 } ] })");
        const Outcome o = run_cli({"run", scenario, "--out", dir.filePath("out")}, 60000);
        QVERIFY2(o.code == 0, qPrintable(o.err));

        QFile summary_file(dir.filePath("out/summary.json"));
        QVERIFY(summary_file.open(QIODevice::ReadOnly));
        const QJsonArray events = QJsonDocument::fromJson(summary_file.readAll()).object()["events"].toArray();
        auto at = [&](const char* action, const char* target) {
            for (const QJsonValue& v : events) {
                const QJsonObject e = v.toObject();
                if (e["action"].toString() == QLatin1String(action) && e["target"].toString() == QLatin1String(target))
                    return e["t_s"].toDouble();
            }
            return -1.0;
        };
        const double stop = at("stop", "node-1"), restart = at("restart", "node-1"), pause = at("pause", "node-2"),
                     resume = at("resume", "node-2"), add = at("add", "node-4"), remove = at("remove", "node-4"),
                     set = at("set", "traffic");
        QVERIFY2(stop > 0 && restart > stop && pause > restart && resume > pause && add > resume && remove > add && set > remove,
                 qPrintable(QJsonDocument(events).toJson()));

        QFile csv(dir.filePath("out/timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        std::vector<std::tuple<double, QString, double>> rows; // t_s, node, requests
        csv.readLine();
        while (!csv.atEnd()) {
            const QList<QByteArray> f = csv.readLine().trimmed().split(',');
            if (f.size() >= 3) rows.emplace_back(f[0].toDouble(), QString::fromUtf8(f[1]), f[2].toDouble());
        }
        // Requests per second of `node` between from and to (run clock).
        auto rate = [&](const char* node, double from, double to) {
            double sum = 0;
            for (const auto& [t, n, requests] : rows)
                if (n == QLatin1String(node) && t > from && t <= to) sum += requests;
            return sum / (to - from);
        };
        const QString report = QStringLiteral("node-1 stopped %1/s, back %2/s; node-2 paused %3/s, back %4/s; "
                                              "node-4 added %5/s, removed %6/s; all before set %7/s, after %8/s")
                                   .arg(rate("node-1", stop + 1.5, restart)).arg(rate("node-1", restart + 1, pause))
                                   .arg(rate("node-2", pause + 0.25, resume)).arg(rate("node-2", resume + 1, add))
                                   .arg(rate("node-4", add + 1, remove)).arg(rate("node-4", remove + 0.5, set))
                                   .arg(rate("*", remove + 0.25, set)).arg(rate("*", set + 1, set + 2));
        qInfo().noquote() << report;
        QVERIFY2(rate("node-1", stop + 1.5, restart) == 0 && rate("node-1", restart + 1, pause) > 20, qPrintable(report));
        QVERIFY2(rate("node-2", pause + 0.25, resume) == 0 && rate("node-2", resume + 1, add) > 20, qPrintable(report));
        QVERIFY2(rate("node-4", add + 1, remove) > 20 && rate("node-4", remove + 0.5, set) == 0, qPrintable(report));
        QVERIFY2(rate("*", set + 1, set + 2) < 0.4 * rate("*", remove + 0.25, set), qPrintable(report));
    }

    // /dev/zero read forever (1.8 GB in 3 s), a FIFO hung: only regular files, one line, exit 2.
    void validateRefusesWhatIsNotAFile_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("device") << "device";
        QTest::newRow("fifo") << "fifo";
        QTest::newRow("too large") << "large";
    }
    void validateRefusesWhatIsNotAFile() {
        QFETCH(QString, kind);
        QTemporaryDir dir;
        QString path = QStringLiteral("/dev/zero");
        if (kind == QLatin1String("fifo")) {
            path = dir.filePath("pipe.json");
            QCOMPARE(::mkfifo(path.toLocal8Bit().constData(), 0600), 0);
        } else if (kind == QLatin1String("large")) {
            path = write_file(dir, "large.json", "{\"name\": \"" + QByteArray(2 * 1024 * 1024, 'x') + "\"}");
        }
        QElapsedTimer took;
        took.start();
        const Outcome o = run_cli({"validate", path}, 10000);
        QVERIFY2(o.code == 2, qPrintable(o.err));
        QVERIFY2(took.elapsed() < 5000, "not refused at once");
        QCOMPARE(o.err.trimmed().count('\n'), 0);
        QVERIFY2(o.err.contains(kind == QLatin1String("large") ? "too large" : "not a regular file"), qPrintable(o.err));
    }

    void validateNamesTheBadField() {
        QTemporaryDir dir;
        QByteArray text = quiet_scenario(10);
        text.replace("\"nodes\": 2", "\"nodes\": 0");
        const Outcome o = run_cli({"validate", write_file(dir, "bad.json", text)});
        QCOMPARE(o.code, 2);
        const QString line = o.err.trimmed();
        QVERIFY2(!line.contains('\n') && line.contains("field 'nodes'") && line.contains("bad.json:1"), qPrintable(o.err));

        const Outcome good = run_cli({"validate", scenarios + "/sticky-kill.json"});
        QVERIFY2(good.code == 0, qPrintable(good.err));
        QVERIFY2(good.out.startsWith("ok: sticky: kill node-2"), qPrintable(good.out));
    }

    // An example per mode ships, and each one validates.
    void everyModeHasAnExampleThatValidates() {
        std::set<QString> modes;
        for (const QString& file : QDir(scenarios).entryList({"*.json"}, QDir::Files)) {
            const Outcome o = run_cli({"validate", scenarios + "/" + file});
            QVERIFY2(o.code == 0, qPrintable(file + ": " + o.err));
            QFile f(scenarios + "/" + file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            modes.insert(QJsonDocument::fromJson(f.readAll()).object().value("mode").toString());
        }
        for (statelab::Mode mode : statelab::all_modes)
            QVERIFY2(modes.contains(QString::fromLatin1(statelab::mode_name(mode))), statelab::mode_name(mode));
    }

    void runWithBadScenarioStartsNothing() {
        QTemporaryDir dir;
        QByteArray text = quiet_scenario(10);
        text.replace("\"journey\": \"shop\"", "\"journey\": \"fly\"");
        const QString scenario = write_file(dir, "bad.json", text);
        QProcess process;
        KillOnExit guard{process};
        process.start(cli, {"run", scenario, "--out", dir.filePath("out")});
        QVERIFY(process.waitForStarted());
        // Watch for programs it launches while it runs: none may ever appear.
        std::set<int> seen;
        QElapsedTimer timer;
        timer.start();
        while (process.state() == QProcess::Running && timer.elapsed() < 10000) {
            const auto now = launched_programs(static_cast<int>(process.processId()));
            seen.insert(now.begin(), now.end());
            process.waitForFinished(5);
        }
        if (process.state() != QProcess::NotRunning) QVERIFY(process.waitForFinished(1000));
        const QString err = QString::fromUtf8(process.readAllStandardError()).trimmed();
        QCOMPARE(process.exitCode(), 2);
        QVERIFY2(!err.contains('\n') && err.contains("field 'traffic.journey'"), qPrintable(err));
        QVERIFY2(seen.empty(), qPrintable(QStringLiteral("%1 programs were launched").arg(seen.size())));
        QVERIFY(!QFile::exists(dir.filePath("out/summary.json")));
        QVERIFY(!QDir(dir.filePath("out/logs")).exists());
    }

    void unknownFlagIsOneLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::newRow("run") << QStringList{"run", scenarios + "/demo.json", "--out", "/tmp/x", "--bogus"} << "bogus";
        QTest::newRow("run bad duration") << QStringList{"run", scenarios + "/demo.json", "--out", "/tmp/x", "--duration", "soon"} << "duration";
        QTest::newRow("bench") << QStringList{"bench", "--url", "http://127.0.0.1:1/", "--bogus"} << "bogus";
        QTest::newRow("bench not loopback") << QStringList{"bench", "--url", "http://10.1.2.3:80/"} << "--url";
        QTest::newRow("validate") << QStringList{"validate", scenarios + "/demo.json", "--bogus"} << "validate";
    }
    void unknownFlagIsOneLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const Outcome o = run_cli(args);
        QCOMPARE(o.code, 2);
        const QString line = o.err.trimmed();
        QVERIFY2(!line.isEmpty() && !line.contains('\n') && line.contains(named), qPrintable(o.err));
    }

    void helpListsOptions_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("top") << QStringList{"--help"} << QStringList{"run", "validate", "bench"};
        QTest::newRow("run") << QStringList{"run", "--help"}
                             << QStringList{"--out", "--duration", "--threads", "(=0)"};
        QTest::newRow("bench") << QStringList{"bench", "--help"}
                               << QStringList{"--url", "--connections", "--duration", "--threads", "(=50)", "(=5)"};
        QTest::newRow("validate") << QStringList{"validate", "--help"} << QStringList{"validate SCENARIO.json"};
    }
    void helpListsOptions() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, mentions);
        const Outcome o = run_cli(args);
        QCOMPARE(o.code, 0);
        for (const QString& m : mentions) QVERIFY2(o.out.contains(m), qPrintable(m + " not in:\n" + o.out));
    }
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "tst_cli_run.moc"
