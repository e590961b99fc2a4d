// Replicated mode at the level of the app servers (real statelab-backend processes, no
// balancer): every session write is copied to the buddy node, a node that does not know a
// session finds the copy, a node and its buddy together lose it, a hung buddy costs the writer a
// bounded time, and the /replica pages answer only the cluster.
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/prometheus_text.hpp"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <vector>

using namespace statelab::test;

namespace {

// node-1 .. node-N in replicated mode, node-i copying to node-i+1 (the last to node-1), and the
// peers file written once they all listen, as the supervisor does.
class ReplicatedNodes {
public:
    explicit ReplicatedNodes(int count) {
        token_file = dir.filePath("replication.token");
        peers_file = dir.filePath("replication.peers");
        write(token_file, "0123456789abcdef0123456789abcdef\n");
        write(peers_file, "");
        for (int i = 1; i <= count; ++i) {
            const QString name = QStringLiteral("node-%1").arg(i);
            const QString buddy = QStringLiteral("node-%1").arg(i < count ? i + 1 : 1);
            nodes.push_back(std::make_unique<ChildProcess>(
                name, statelab_program("statelab-backend"),
                QStringList{"--name", name, "--port", "0", "--store", "replicated", "--buddy", buddy,
                            "--peers-file", peers_file, "--replication-token-file", token_file}));
        }
    }
    bool start() {
        QByteArray lines;
        for (auto& node : nodes) {
            if (!node->start()) {
                error = node->error();
                return false;
            }
            lines += node->name().toUtf8() + ' ' + QByteArray::number(node->port()) + '\n';
        }
        write(peers_file, lines);
        // A node looks at the peers file no more than every 200 ms: ready once each knows the others.
        const long long others = static_cast<long long>(nodes.size()) - 1;
        QDeadlineTimer deadline(5000);
        for (int n = 1; n <= static_cast<int>(nodes.size()); ++n)
            while (metric(n, "statelab_replication_peers_known") != others) {
                if (deadline.hasExpired()) {
                    error = QStringLiteral("node-%1 did not read the peers file within 5 s").arg(n);
                    return false;
                }
                QTest::qWait(20);
            }
        return true;
    }
    ChildProcess& node(int number) { return *nodes.at(static_cast<std::size_t>(number - 1)); }
    long long metric(int number, const QByteArray& name) {
        return prometheus_value(HttpClient(node(number).port()).get("/metrics").body, name);
    }

    QTemporaryDir dir;
    QString token_file, peers_file, error;
    std::vector<std::unique_ptr<ChildProcess>> nodes;

private:
    static void write(const QString& path, const QByteArray& text) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text);
    }
};

QStringList items_of(const HttpResponse& r) {
    QStringList out;
    for (const auto& v : QJsonDocument::fromJson(r.body).object().value("items").toArray()) out << v.toString();
    return out;
}


// Logs `user` in on that node and adds `items`; false when any answer was not 200.
bool shop_at(HttpClient& client, const QByteArray& user, const QList<QByteArray>& items) {
    if (client.post("/login?user=" + user).status != 200) return false;
    for (const QByteArray& item : items)
        if (client.post("/cart/items?item=" + item).status != 200) return false;
    return true;
}

} // namespace

class TestReplication : public QObject {
    Q_OBJECT

private slots:
    void aDeadNodesUserIsServedFromTheCopy() {
        ReplicatedNodes cluster(3);
        QVERIFY2(cluster.start(), qPrintable(cluster.error));
        HttpClient at_node1(cluster.node(1).port());
        QVERIFY(shop_at(at_node1, "ada", {"tea", "jam"}));
        QCOMPARE(cluster.metric(1, "statelab_replication_copies_sent_total"), 3); // login and two adds
        QCOMPARE(cluster.metric(1, "statelab_replication_copies_failed_total"), 0);
        QCOMPARE(cluster.metric(2, "statelab_replication_copies_held"), 1);
        QCOMPARE(cluster.metric(3, "statelab_replication_copies_held"), 0);

        cluster.node(1).kill();
        // node-3 is not node-1's buddy: it asks the others, finds the copy on node-2, serves it.
        HttpClient at_node3(cluster.node(3).port());
        at_node3.cookies() = at_node1.cookies();
        const HttpResponse cart = at_node3.get("/cart");
        QVERIFY2(cart.status == 200 && cart.session_state() == "hit", qPrintable(cart.describe()));
        QCOMPARE(items_of(cart), (QStringList{"tea", "jam"}));
        QCOMPARE(cluster.metric(3, "statelab_sessions_taken_over_total"), 1);
        // From now on the session is node-3's, copied on to node-3's buddy (node-1: dead, counted).
        QCOMPARE(at_node3.post("/cart/items?item=bread").status, 200);
        QVERIFY(cluster.metric(3, "statelab_replication_copies_failed_total") >= 2);
    }

    void aNodeAndItsBuddyTogetherLoseIt() {
        ReplicatedNodes cluster(3);
        QVERIFY2(cluster.start(), qPrintable(cluster.error));
        HttpClient at_node1(cluster.node(1).port());
        QVERIFY(shop_at(at_node1, "bob", {"milk"}));
        cluster.node(1).kill();
        cluster.node(2).kill(); // node-1's buddy: the only copy
        HttpClient at_node3(cluster.node(3).port());
        at_node3.cookies() = at_node1.cookies();
        const HttpResponse cart = at_node3.get("/cart");
        QVERIFY2(cart.status == 401 && cart.session_state() == "miss", qPrintable(cart.describe()));
        QCOMPARE(cluster.metric(3, "statelab_sessions_taken_over_total"), 0);
    }

    // A buddy that accepts connections but never answers (SIGSTOP): the first copy waits its
    // timeout (250 ms), the next ones are not even tried for a while; every one is counted.
    void aHungBuddyCostsTheWriterABoundedTime() {
        ReplicatedNodes cluster(2);
        QVERIFY2(cluster.start(), qPrintable(cluster.error));
        HttpClient client(cluster.node(1).port());
        QCOMPARE(client.post("/login?user=cy").status, 200);
        QVERIFY(cluster.node(2).pause());
        constexpr int adds = 20;
        qint64 slowest = 0;
        QElapsedTimer all;
        all.start();
        for (int i = 0; i < adds; ++i) {
            QElapsedTimer one;
            one.start();
            const HttpResponse r = client.post("/cart/items?item=i" + QByteArray::number(i));
            QVERIFY2(r.status == 200, qPrintable(r.describe()));
            slowest = std::max(slowest, one.elapsed());
        }
        const qint64 total = all.elapsed();
        const long long failed = cluster.metric(1, "statelab_replication_copies_failed_total");
        const QString report = QStringLiteral("%1 adds in %2 ms, slowest %3 ms, copies failed %4")
                                   .arg(adds).arg(total).arg(slowest).arg(failed);
        qInfo().noquote() << report;
        QVERIFY2(slowest < 1000, qPrintable(report)); // one copy's timeout, not a hang
        QVERIFY2(total < 2000, qPrintable(report));   // not 20 timeouts in a row
        QVERIFY2(failed == adds, qPrintable(report));
        // Back again: copies arrive again once the pause is over.
        QVERIFY(cluster.node(2).resume());
        // Adds go on; once the writer tries its buddy again (500 ms after the last failure) one
        // is copied: the login's copy and that one were sent, and the buddy holds the session.
        QDeadlineTimer deadline(3000);
        while (cluster.metric(1, "statelab_replication_copies_sent_total") < 2 && !deadline.hasExpired()) {
            QCOMPARE(client.post("/cart/items?item=after").status, 200);
            QTest::qWait(50);
        }
        QCOMPARE(cluster.metric(1, "statelab_replication_copies_sent_total"), 2);
        QCOMPARE(cluster.metric(2, "statelab_replication_copies_held"), 1);
    }

    // Only the cluster's nodes may write or read copies: the token, a session id's shape, a
    // session's JSON; and the shop's users see none of it in their counts.
    void replicaPagesAnswerOnlyTheCluster() {
        ReplicatedNodes cluster(2);
        QVERIFY2(cluster.start(), qPrintable(cluster.error));
        HttpClient client(cluster.node(2).port());
        const QByteArray sid = "0123456789abcdef0123456789abcdef";
        const HttpHeaders token{{"X-Replication-Token", "0123456789abcdef0123456789abcdef"}};
        const QByteArray session = R"({"u":"eve","i":["x"],"v":1,"r":[],"p":""})";
        QCOMPARE(client.request("PUT", "/replica/" + sid, {}, session).status, 403);
        QCOMPARE(client.request("PUT", "/replica/" + sid, {{"X-Replication-Token", "guess"}}, session).status, 403);
        QCOMPARE(client.request("PUT", "/replica/not-a-session-id", token, session).status, 400);
        QCOMPARE(client.request("PUT", "/replica/" + sid, token, "{\"u\":").status, 400);
        QCOMPARE(client.request("GET", "/replica/" + sid, token).status, 404);
        QCOMPARE(client.request("PUT", "/replica/" + sid, token, session).status, 204);
        const HttpResponse copy = client.request("GET", "/replica/" + sid, token);
        QVERIFY2(copy.status == 200 && copy.body.contains("\"eve\""), qPrintable(copy.describe()));
        QCOMPARE(client.request("DELETE", "/replica/" + sid, token).status, 204);
        QCOMPARE(client.request("GET", "/replica/" + sid, token).status, 404);
        QCOMPARE(client.request("POST", "/replica/" + sid, token).status, 405);
        QCOMPARE(cluster.metric(2, "statelab_requests_total"), 0); // none of that was a user's
    }
};

QTEST_GUILESS_MAIN(TestReplication)
#include "tst_replication.moc"
