// Load from many hosts: two `statelab-cli run --shard I/2` at once against one running cluster
// (the scenario's target), merged with `statelab-cli merge`, hold the same figures as one
// unsharded run of the same users against a cluster like it: requests within 15%, the same kind
// of loss when node-2 is killed (by shard 0's command action; shard 1 logs it skipped); the merged
// percentiles are exactly those of the shards' summed histograms. --balancer-url drives a running
// balancer and skips the cluster's actions. merge refuses a shard next to a whole run.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "metrics/partial_result.hpp"
#include "support/cluster.hpp"
#include "support/kill_on_exit.hpp"

#include <cmath>

using namespace statelab;

namespace {

const QString cli = QStringLiteral(STATELAB_BIN_DIR "/statelab-cli");

// 80 users, 6 s, against a cluster somebody started (the test): node-2 is killed by a command
// at 3 s, and loses the sessions it held.
const QString scenario_text = QStringLiteral(R"({ "name": "shards", "mode": "sticky",
  "target": { "url": "%1" }, "actions": { "node-2": { "kill": "kill -9 %2" } },
  "duration_s": 6, "traffic": { "users": 80, "think_ms": 100, "journey": "shop", "rate": 0 },
  "timeline": [ { "at_s": 3, "action": "kill", "target": "node-2" } ] })");

QString write_scenario(const QTemporaryDir& tmp, const QString& name, test::Cluster& cluster) {
    const QString path = tmp.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return {};
    file.write(scenario_text.arg(QStringLiteral("http://127.0.0.1:%1").arg(cluster.port())).arg(cluster.node(2).pid()).toUtf8());
    return path;
}

// The lab's own kind of scenario, for --balancer-url (its kill at 0.5 s is skipped there).
const QByteArray lab_scenario_text = R"({ "name": "attached", "mode": "sticky", "nodes": 3, "duration_s": 1,
  "traffic": { "users": 20, "think_ms": 100 }, "timeline": [ { "at_s": 0.5, "action": "kill", "target": "node-1" } ] })";

std::int64_t lost_of(const QJsonObject& summary) { return summary["sessions"].toObject()["lost"].toInteger(); }

QJsonObject summary_of(const QString& dir) {
    QFile file(dir + "/summary.json");
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

double round3(double v) { return std::round(v * 1000) / 1000; }

} // namespace

class TestShards : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(QFile::exists(cli), "build statelab-cli, statelab-backend and statelab-balancer first"); }

    void twoShardsMergeIntoOneRun() {
        // Sticky sessions in node memory behind the cookie policy: lost when a node dies.
        test::ClusterOptions options;
        options.policy = QStringLiteral("cookie");
        test::Cluster cluster(options), fresh(options); // the second for the unsharded run
        QVERIFY2(cluster.start(), qPrintable(cluster.error()));
        QVERIFY2(fresh.start(), qPrintable(fresh.error()));
        QTemporaryDir tmp;
        const QString scenario = write_scenario(tmp, "scenario.json", cluster);
        const QString whole_scenario = write_scenario(tmp, "whole.json", fresh);

        // Both shards at once, as two hosts would run them.
        QProcess shard[2];
        KillOnExit guard0{shard[0]}, guard1{shard[1]};
        for (int i = 0; i < 2; ++i) {
            shard[i].start(cli, {"run", scenario, "--allow-commands", "--shard", QStringLiteral("%1/2").arg(i), "--threads", "1", "--out",
                                 tmp.filePath(QStringLiteral("s%1").arg(i))});
            QVERIFY(shard[i].waitForStarted());
        }
        for (QProcess& p : shard) {
            QVERIFY2(p.waitForFinished(30000), "a shard did not finish");
            QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        }
        QVERIFY2(cluster.node(2).wait_for_exit(2000), "shard 0 did not carry out the kill");

        QProcess merge;
        merge.start(cli, {"merge", tmp.filePath("s0"), tmp.filePath("s1"), "--out", tmp.filePath("merged")});
        QVERIFY(merge.waitForFinished(10000));
        QVERIFY2(merge.exitCode() == 0, merge.readAllStandardError().constData());

        // The same 80 users from one process, against a cluster like it, the same kill.
        QProcess whole;
        whole.start(cli, {"run", whole_scenario, "--allow-commands", "--threads", "1", "--out", tmp.filePath("whole")});
        QVERIFY(whole.waitForFinished(30000));
        QVERIFY2(whole.exitCode() == 0, whole.readAllStandardError().constData());

        const QJsonObject s0 = summary_of(tmp.filePath("s0")), s1 = summary_of(tmp.filePath("s1"));
        const QJsonObject merged = summary_of(tmp.filePath("merged")), one = summary_of(tmp.filePath("whole"));
        QCOMPARE(s0["shard"].toObject()["index"].toInt(), 0);
        QCOMPARE(s1["shard"].toObject()["count"].toInt(), 2);
        QVERIFY(!one.contains("shard"));

        // Counts add; the crowd is the same size either way.
        const qint64 requests = merged["requests"].toInteger();
        QCOMPARE(requests, s0["requests"].toInteger() + s1["requests"].toInteger());
        QCOMPARE(merged["sessions"].toObject()["created"].toInteger(),
                 s0["sessions"].toObject()["created"].toInteger() + s1["sessions"].toObject()["created"].toInteger());
        const double whole_requests = static_cast<double>(one["requests"].toInteger());
        qInfo("merged %lld requests, whole run %.0f", static_cast<long long>(requests), whole_requests);
        QVERIFY2(std::abs(static_cast<double>(requests) - whole_requests) <= 0.15 * whole_requests,
                 qPrintable(QStringLiteral("merged %1 vs whole %2").arg(requests).arg(whole_requests)));
        // The same kind of loss: node-2's users, whoever drove them (the shard that did not kill
        // it loses its users' sessions on node-2 too).
        qInfo("lost: merged %lld (shard 0 %lld, shard 1 %lld), whole run %lld", static_cast<long long>(lost_of(merged)),
              static_cast<long long>(lost_of(s0)), static_cast<long long>(lost_of(s1)), static_cast<long long>(lost_of(one)));
        QVERIFY(lost_of(one) >= 10);
        QCOMPARE(lost_of(merged), lost_of(s0) + lost_of(s1));
        QVERIFY(lost_of(s0) > 0 && lost_of(s1) > 0);
        QVERIFY2(std::abs(lost_of(merged) - lost_of(one)) <= lost_of(one) / 2, "merged and whole runs lose alike");
        qint64 per_node = 0;
        for (const QJsonValue& n : merged["per_node"].toArray()) per_node += n.toObject()["requests"].toInteger();
        // Every answer a node gave is in its row; the balancer's own 5xx while node-2 died name no
        // node and are in the total only.
        const qint64 balancer_errors = merged["failures"].toObject()["http_5xx"].toInteger();
        QVERIFY2(per_node <= requests && requests - per_node <= balancer_errors,
                 qPrintable(QStringLiteral("per node %1, requests %2, 5xx %3").arg(per_node).arg(requests).arg(balancer_errors)));

        // Exactly the percentiles of the summed histograms.
        LatencyHistogram sum = histogram_from_json(read_text(tmp.filePath("s0").toStdString() + "/" + histogram_file));
        sum.merge(histogram_from_json(read_text(tmp.filePath("s1").toStdString() + "/" + histogram_file)));
        QCOMPARE(static_cast<qint64>(sum.count()), requests); // one latency per answered request
        const QJsonObject latency = merged["latency_ms"].toObject();
        QCOMPARE(latency["p50"].toDouble(), round3(sum.quantile_ms(0.50)));
        QCOMPARE(latency["p95"].toDouble(), round3(sum.quantile_ms(0.95)));
        QCOMPARE(latency["p99"].toDouble(), round3(sum.quantile_ms(0.99)));

        // The kill: carried out by shard 0 (its command's exit status), logged as skipped by shard 1.
        QStringList kills;
        for (const QJsonValue& v : merged["events"].toArray())
            if (v.toObject()["action"] == "kill") kills << v.toObject()["detail"].toString();
        kills.sort();
        QCOMPARE(kills.size(), 2);
        QVERIFY2(kills[0] == "exit 0" && kills[1].startsWith("skipped: shard 1/2"), qPrintable(kills.join(" | ")));

        // --balancer-url: a balancer somebody else runs, nothing launched, its cluster's actions skipped.
        const QString lab_scenario = tmp.filePath("lab.json");
        {
            QFile file(lab_scenario);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(lab_scenario_text);
        }
        QProcess attached;
        attached.start(cli, {"run", lab_scenario, "--balancer-url", QStringLiteral("http://127.0.0.1:%1").arg(fresh.port()),
                             "--duration", "1", "--out", tmp.filePath("attached")});
        QVERIFY(attached.waitForFinished(20000));
        QVERIFY2(attached.exitCode() == 0, attached.readAllStandardError().constData());
        const QJsonObject on_balancer = summary_of(tmp.filePath("attached"));
        QVERIFY(on_balancer["requests"].toInteger() > 100);
        QVERIFY2(fresh.node(1).running(), "an attached run carried out a kill on a cluster it does not own");
        bool skipped = false;
        for (const QJsonValue& v : on_balancer["events"].toArray())
            if (v.toObject()["action"] == "kill") skipped = v.toObject()["detail"].toString().startsWith("skipped");
        QVERIFY(skipped);

        // A shard next to a whole run: one line, nothing written.
        QProcess refused;
        refused.start(cli, {"merge", tmp.filePath("s0"), tmp.filePath("whole"), "--out", tmp.filePath("bad")});
        QVERIFY(refused.waitForFinished(10000));
        QVERIFY(refused.exitCode() != 0);
        const QByteArray err = refused.readAllStandardError().trimmed();
        QVERIFY2(err.startsWith("statelab-cli: merge:") && !err.contains('\n'), err.constData());
        QVERIFY(!QFile::exists(tmp.filePath("bad/summary.json")));
    }
};

QTEST_GUILESS_MAIN(TestShards)
#include "tst_shards.moc"
