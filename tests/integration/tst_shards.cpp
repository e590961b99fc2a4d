// Load from many hosts: two `statelab-cli run --shard I/2` at once against one running cluster
// (--balancer-url), merged with `statelab-cli merge`, hold the same figures as one unsharded run
// of the same users against the same kind of cluster; the merged percentiles are exactly those
// of the shards' summed histograms; cluster actions are only logged (the cluster is not ours);
// merge refuses a shard next to a whole run.
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

// 80 users, 6 s; the kill would lose node-2's sessions if anybody carried it out.
const QByteArray scenario_text = R"({ "name": "shards", "mode": "sticky", "nodes": 3, "balancer": "builtin",
  "duration_s": 6, "traffic": { "users": 80, "think_ms": 100, "journey": "shop", "rate": 0 },
  "timeline": [ { "at_s": 3, "action": "kill", "target": "node-2" } ] })";

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
        // Sticky sessions in node memory behind the cookie policy: nothing is lost unless a node dies.
        test::ClusterOptions options;
        options.policy = QStringLiteral("cookie");
        test::Cluster cluster(options);
        QVERIFY2(cluster.start(), qPrintable(cluster.error()));
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(cluster.port());
        QTemporaryDir tmp;
        const QString scenario = tmp.filePath("scenario.json");
        {
            QFile file(scenario);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(scenario_text);
        }

        // Both shards at once, as two hosts would run them.
        QProcess shard[2];
        KillOnExit guard0{shard[0]}, guard1{shard[1]};
        for (int i = 0; i < 2; ++i) {
            shard[i].start(cli, {"run", scenario, "--shard", QStringLiteral("%1/2").arg(i), "--balancer-url", url,
                                 "--threads", "1", "--out", tmp.filePath(QStringLiteral("s%1").arg(i))});
            QVERIFY(shard[i].waitForStarted());
        }
        for (QProcess& p : shard) {
            QVERIFY2(p.waitForFinished(30000), "a shard did not finish");
            QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        }
        QVERIFY2(cluster.node(2).running(), "a shard carried out the kill on a cluster it does not own");

        QProcess merge;
        merge.start(cli, {"merge", tmp.filePath("s0"), tmp.filePath("s1"), "--out", tmp.filePath("merged")});
        QVERIFY(merge.waitForFinished(10000));
        QVERIFY2(merge.exitCode() == 0, merge.readAllStandardError().constData());

        // The same 80 users from one process, against the same cluster.
        QProcess whole;
        whole.start(cli, {"run", scenario, "--balancer-url", url, "--threads", "1", "--out", tmp.filePath("whole")});
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
        QCOMPARE(merged["sessions"].toObject()["lost"].toInteger(), 0);
        QCOMPARE(one["sessions"].toObject()["lost"].toInteger(), 0);
        qint64 per_node = 0;
        for (const QJsonValue& n : merged["per_node"].toArray()) per_node += n.toObject()["requests"].toInteger();
        QCOMPARE(per_node, requests);

        // Exactly the percentiles of the summed histograms.
        LatencyHistogram sum = histogram_from_json(read_text(tmp.filePath("s0").toStdString() + "/" + histogram_file));
        sum.merge(histogram_from_json(read_text(tmp.filePath("s1").toStdString() + "/" + histogram_file)));
        QCOMPARE(static_cast<qint64>(sum.count()), requests); // one latency per answered request
        const QJsonObject latency = merged["latency_ms"].toObject();
        QCOMPARE(latency["p50"].toDouble(), round3(sum.quantile_ms(0.50)));
        QCOMPARE(latency["p95"].toDouble(), round3(sum.quantile_ms(0.95)));
        QCOMPARE(latency["p99"].toDouble(), round3(sum.quantile_ms(0.99)));

        // The kill: logged as skipped by each shard, carried out by none.
        int skipped = 0;
        for (const QJsonValue& v : merged["events"].toArray())
            if (v.toObject()["action"] == "kill") skipped += v.toObject()["detail"].toString().startsWith("skipped") ? 1 : 0;
        QCOMPARE(skipped, 2);

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
