// statelab-balancer's policies as a user sees them: who serves my requests, what happens to my
// session when that node dies, how evenly load spreads, and what the balancer says about it.
#include "support/cluster.hpp"
#include "support/http_client.hpp"
#include "support/prometheus_text.hpp"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QThread>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <thread>
#include <vector>

using namespace statelab::test;

namespace {

std::unique_ptr<Cluster> started(const QString& policy, QStringList balancer_extra = {}) {
    ClusterOptions options;
    options.policy = policy;
    options.balancer_args += balancer_extra;
    auto cluster = std::make_unique<Cluster>(options);
    if (!cluster->start()) qWarning("%s", qPrintable(cluster->error()));
    return cluster;
}

// /lb/status backends by name.
QMap<QString, QJsonObject> lb_status(quint16 port, QString* policy = nullptr) {
    const HttpResponse r = HttpClient(port).get("/lb/status");
    const QJsonObject status = QJsonDocument::fromJson(r.body).object();
    if (policy) *policy = status.value("policy").toString();
    QMap<QString, QJsonObject> out;
    for (const auto& b : status.value("backends").toArray()) out.insert(b.toObject().value("name").toString(), b.toObject());
    return out;
}

bool wait_for_state(quint16 port, const QString& node, const QString& state, int timeout_ms = 3000) {
    QDeadlineTimer deadline(timeout_ms);
    while (!deadline.hasExpired()) {
        if (lb_status(port).value(node).value("state").toString() == state) return true;
        QThread::msleep(20);
    }
    return false;
}

} // namespace

class TestBalancerPolicies : public QObject {
    Q_OBJECT
private slots:
    void cookiePinsAUserToOneNode() {
        auto cluster = started("cookie");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        HttpClient alice(cluster->port());
        const HttpResponse login = alice.post("/login?user=alice");
        QVERIFY2(login.status == 200, qPrintable(login.describe()));
        const QByteArray node = login.served_by();
        QCOMPARE(login.set_cookie("SRV").split(';').value(0), "SRV=" + node);
        QCOMPARE(alice.cookie("SRV"), node);
        for (int i = 0; i < 50; ++i) {
            const HttpResponse r = alice.get("/cart");
            QVERIFY2(r.status == 200 && r.served_by() == node, qPrintable(r.describe()));
            QVERIFY(r.set_cookie("SRV").isEmpty()); // pinned already: no new cookie
        }
        // New users are spread: among three more, at least one lands on another node.
        QSet<QByteArray> nodes{node};
        for (const char* user : {"bob", "carol", "dave"}) {
            HttpClient other(cluster->port());
            const HttpResponse r = other.post(QByteArray("/login?user=") + user);
            QCOMPARE(r.status, 200);
            QCOMPARE(other.cookie("SRV"), r.served_by());
            nodes << r.served_by();
        }
        QVERIFY2(nodes.size() >= 2, "every user pinned to the same node");
    }

    void cookieInsertKeepsTheBackendsNoStore() {
        // `nocache` exists to keep shared caches away from a response that pins a user; it must
        // not weaken what the backend already said (HAProxy leaves `no-store` as it is).
        auto cluster = started("cookie");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        HttpClient client(cluster->port());
        const HttpResponse login = client.post("/login?user=alice");
        QVERIFY(!login.set_cookie("SRV").isEmpty());
        QVERIFY2(login.header("cache-control").contains("no-store"),
                 qPrintable("Cache-Control: " + login.header("cache-control")));
    }

    void cookieNodeDeathLosesTheSessionVisibly() {
        auto cluster = started("cookie");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        HttpClient client(cluster->port());
        QCOMPARE(client.post("/login?user=alice").status, 200);
        QCOMPARE(client.post("/cart/items?item=apple").status, 200);
        const QByteArray pinned = client.cookie("SRV");
        cluster->node(pinned).kill();

        // Redispatched to a node that never saw this session: an honest miss, and a new pin.
        HttpResponse r = client.get("/cart");
        if (r.status == 502 || r.status == 503) r = client.get("/cart"); // at most one failed attempt
        QVERIFY2(r.status == 401, qPrintable(r.describe()));
        QCOMPARE(r.session_state(), QByteArray("miss"));
        QVERIFY(!r.served_by().isEmpty() && r.served_by() != pinned);
        QCOMPARE(client.cookie("SRV"), r.served_by());

        const QByteArray repinned = r.served_by();
        QCOMPARE(client.post("/login?user=alice").status, 200);
        QCOMPARE(client.post("/cart/items?item=pear").status, 200);
        for (int i = 0; i < 10; ++i) {
            const HttpResponse again = client.get("/cart");
            QVERIFY2(again.status == 200 && again.served_by() == repinned, qPrintable(again.describe()));
        }
    }

    // `--failover none`: a user pinned to a node that is down is refused, never moved to a node
    // that has no session for it. The test waits until the balancer knows the node is down, so
    // the 503 is the router's refusal; right after the kill it would only be the proxy failing
    // to connect, which says nothing about the policy.
    void cookieWithoutFailoverRefuses() {
        auto cluster = started("cookie", {"--failover", "none"});
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        HttpClient client(cluster->port());
        QCOMPARE(client.post("/login?user=alice").status, 200);
        const QByteArray pinned = client.cookie("SRV");
        const QString node = QString::fromUtf8(pinned);
        cluster->node(pinned).kill();
        QVERIFY2(wait_for_state(cluster->port(), node, "down"), qPrintable(node + " not reported down within 3 s"));
        const qint64 sent_to_pinned = lb_status(cluster->port()).value(node).value("requests").toInteger();

        for (int i = 0; i < 3; ++i) { // every time, not just once: the pin stays, so does the refusal
            const HttpResponse r = client.get("/cart");
            QVERIFY2(r.status == 503, qPrintable(r.describe()));
            // What the router's refusal says; a failed connect would name the node instead.
            QCOMPARE(r.body, QByteArray("no backend available: no healthy backend\n"));
            QVERIFY2(r.served_by().isEmpty(), qPrintable(r.describe())); // no node answered
            QVERIFY2(r.set_cookie("SRV").isEmpty(), qPrintable(r.describe())); // nor was re-pinned
            QCOMPARE(client.cookie("SRV"), pinned);
        }
        // Refused without a try: nothing was sent to the dead node either.
        QCOMPARE(lb_status(cluster->port()).value(node).value("requests").toInteger(), sent_to_pinned);
    }

    void unknownServerCookieCountsAsNone() {
        auto cluster = started("cookie");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        HttpClient client(cluster->port());
        client.set_cookie("SRV", "node-99");
        const HttpResponse r = client.get("/healthz");
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QVERIFY(r.served_by().startsWith("node-"));
        QCOMPARE(client.cookie("SRV"), r.served_by()); // re-pinned to a real node
    }

    void roundRobinSplitsEvenly() {
        auto cluster = started("round-robin");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        HttpClient client(cluster->port());
        QMap<QString, int> served;
        for (int i = 0; i < 300; ++i) {
            const HttpResponse r = client.get("/healthz");
            QVERIFY2(r.status == 200, qPrintable(r.describe()));
            ++served[QString::fromUtf8(r.served_by())];
        }
        QCOMPARE(served.keys(), (QStringList{"node-1", "node-2", "node-3"}));
        for (auto it = served.cbegin(); it != served.cend(); ++it)
            QVERIFY2(it.value() >= 90 && it.value() <= 110, qPrintable(QStringLiteral("%1: %2").arg(it.key()).arg(it.value())));

        // /lb/status counts the same requests we saw, per backend.
        QString policy;
        const auto status = lb_status(cluster->port(), &policy);
        QCOMPARE(policy, QStringLiteral("round-robin"));
        QCOMPARE(status.keys(), served.keys());
        for (const QString& name : status.keys()) {
            QCOMPARE(status[name].value("state").toString(), QStringLiteral("up"));
            QCOMPARE(status[name].value("requests").toInteger(), qint64(served[name]));
            QCOMPARE(status[name].value("address").toString(),
                     QStringLiteral("127.0.0.1:%1").arg(cluster->node(name.toUtf8()).port()));
        }
    }

    void everyPolicyServesAndSpreads_data() {
        QTest::addColumn<QString>("policy");
        QTest::newRow("least-conn") << "least-conn";
        QTest::newRow("random") << "random";
    }
    void everyPolicyServesAndSpreads() {
        QFETCH(QString, policy);
        auto cluster = started(policy);
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        HttpClient client(cluster->port());
        QMap<QByteArray, int> served;
        for (int i = 0; i < 150; ++i) {
            const HttpResponse r = client.get("/healthz");
            QVERIFY2(r.status == 200, qPrintable(r.describe()));
            ++served[r.served_by()];
        }
        QCOMPARE(served.size(), 3);
        for (int count : served) QVERIFY2(count >= 20, qPrintable(QString::number(count)));
    }

    void ipHashKeepsEachAddressOnOneNode() {
        auto cluster = started("ip-hash");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        QMap<QString, QByteArray> node_of; // source address -> node
        for (int host = 2; host < 10; ++host) {
            const QString address = QStringLiteral("127.0.0.%1").arg(host);
            for (int i = 0; i < 20; ++i) {
                HttpClient client(cluster->port(), QHostAddress(address)); // a new connection each time
                const HttpResponse r = client.get("/healthz");
                QVERIFY2(r.status == 200, qPrintable(address + ": " + r.describe()));
                QCOMPARE(client.local_address(), QHostAddress(address)); // really from that address
                if (i == 0) node_of[address] = r.served_by();
                QVERIFY2(r.served_by() == node_of[address],
                         qPrintable(QStringLiteral("%1 went to %2, then to %3").arg(address, node_of[address], r.served_by())));
            }
        }
        const QSet<QByteArray> used(node_of.cbegin(), node_of.cend());
        QVERIFY2(used.size() >= 2, "8 source addresses all hashed to one node");
    }

    // sticky-url: the node named in the URL's ?node= serves it, whatever the client's address or
    // cookies; the backend writes that name into the links it returns (with the session id only
    // when asked); a dead node's links are balanced elsewhere, where the session is not.
    void urlParamRoutesByTheNodeInTheLinks() {
        ClusterOptions options;
        options.policy = QStringLiteral("url-param");
        options.backend_args = {QStringLiteral("--url-links")};
        Cluster cluster(options);
        QVERIFY2(cluster.start(), qPrintable(cluster.error()));
        HttpClient client(cluster.port());
        const HttpResponse login = client.post("/login?user=alice");
        QCOMPARE(login.status, 200);
        const QJsonObject links = QJsonDocument::fromJson(login.body).object().value("links").toObject();
        const QByteArray node = login.served_by();
        QCOMPARE(links.value("cart").toString(), QStringLiteral("/cart?node=") + QString::fromLatin1(node));
        QVERIFY2(!links.value("cart").toString().contains(QLatin1String("sid=")), "the session id is not in the links");
        QCOMPARE(client.post("/cart/items?item=apple&node=" + node).status, 200);
        for (int i = 0; i < 10; ++i) {
            const HttpResponse r = client.get(links.value("cart").toString().toLatin1());
            QVERIFY2(r.status == 200 && r.served_by() == node, qPrintable(r.describe()));
            QVERIFY(r.body.contains("apple"));
        }
        QSet<QByteArray> unnamed; // no ?node=: round-robin
        for (int i = 0; i < 9; ++i) unnamed.insert(client.get("/healthz").served_by());
        QCOMPARE(unnamed.size(), 3);

        cluster.node(node).kill();
        QVERIFY(wait_for_state(cluster.port(), QString::fromLatin1(node), QStringLiteral("down")));
        const HttpResponse moved = client.get(links.value("cart").toString().toLatin1());
        QVERIFY2(moved.status == 401 && moved.served_by() != node, qPrintable(moved.describe()));
    }

    void consistentHashKeepsASessionOnItsNode() {
        auto cluster = started("consistent-hash");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        // Memory sessions: a user's requests after login must reach the node that created it.
        for (int user = 0; user < 6; ++user) {
            HttpClient client(cluster->port());
            const HttpResponse login = client.post("/login?user=u" + QByteArray::number(user));
            QCOMPARE(login.status, 200);
            for (int i = 0; i < 5; ++i) {
                const HttpResponse r = client.get("/cart");
                QVERIFY2(r.status == 200 && r.served_by() == login.served_by(),
                         qPrintable(QStringLiteral("user %1 logged in on %2, then: %3")
                                        .arg(user).arg(QString::fromUtf8(login.served_by()), r.describe())));
            }
        }
    }

    void consistentHashMovesOnlyTheLostNodesClients() {
        auto cluster = started("consistent-hash");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        auto node_for = [&](const QString& address) {
            HttpClient client(cluster->port(), QHostAddress(address));
            return client.get("/healthz").served_by();
        };
        QMap<QString, QByteArray> before;
        for (int host = 2; host < 26; ++host) {
            const QString address = QStringLiteral("127.0.1.%1").arg(host);
            before[address] = node_for(address);
            QVERIFY(before[address].startsWith("node-"));
        }
        const QByteArray victim = before.first();
        QVERIFY2(QSet<QByteArray>(before.cbegin(), before.cend()).size() >= 2, "24 addresses on one node");
        cluster->node(victim).kill();
        for (auto it = before.cbegin(); it != before.cend(); ++it) {
            const QByteArray now = node_for(it.key());
            if (it.value() == victim)
                QVERIFY2(now.startsWith("node-") && now != victim, qPrintable(it.key() + " -> " + now));
            else // everyone else stays where their session is
                QVERIFY2(now == it.value(), qPrintable(it.key() + ": " + it.value() + " -> " + now));
        }
    }

    // Bounded load (HAProxy's hash-balance-factor): every client here is 127.0.0.1, one key, one
    // node on the ring. With --balance-factor 125 no node may hold more than 1.25 x the average
    // of the requests in flight, so the hottest node's share of 32 concurrent clients stays at
    // most 1.25 / 4 (+5%); without it, that node takes them all.
    void balanceFactorBoundsTheHottestNode_data() {
        QTest::addColumn<QString>("factor");
        QTest::addColumn<double>("least");
        QTest::addColumn<double>("most");
        QTest::newRow("off") << QStringLiteral("0") << 0.95 << 1.0;
        QTest::newRow("125%") << QStringLiteral("125") << 0.0 << 1.25 / 4 + 0.05;
    }
    void balanceFactorBoundsTheHottestNode() {
        QFETCH(QString, factor);
        QFETCH(double, least);
        QFETCH(double, most);
        ClusterOptions options;
        options.nodes = 4;
        options.policy = QStringLiteral("consistent-hash");
        options.backend_args = {QStringLiteral("--response-delay-ms"), QStringLiteral("20")};
        options.balancer_args << QStringLiteral("--balance-factor") << factor;
        Cluster cluster(options);
        QVERIFY2(cluster.start(), qPrintable(cluster.error()));
        std::atomic<bool> stop{false};
        std::vector<std::thread> clients;
        for (int c = 0; c < 32; ++c)
            clients.emplace_back([&] {
                HttpClient client(cluster.port());
                while (!stop) client.get("/cart"); // 401 without a session: a request all the same
            });
        QThread::msleep(2000); // the load's own length
        stop = true;
        for (auto& t : clients) t.join();
        std::vector<double> served;
        for (int n = 1; n <= 4; ++n)
            served.push_back(static_cast<double>(
                prometheus_value(HttpClient(cluster.node(n).port()).get("/metrics").body, "statelab_requests_total")));
        const double total = std::accumulate(served.begin(), served.end(), 0.0);
        const double hottest = *std::max_element(served.begin(), served.end()) / std::max(1.0, total);
        const QString report = QStringLiteral("factor %1: requests per node %2 %3 %4 %5; hottest share %6")
                                   .arg(factor).arg(served[0]).arg(served[1]).arg(served[2]).arg(served[3]).arg(hottest);
        qInfo().noquote() << report;
        QVERIFY2(total > 500, qPrintable(report));
        QVERIFY2(hottest >= least && hottest <= most, qPrintable(report));
    }

    void backendsAddedAndRemovedAtRuntime() {
        ClusterOptions options;
        options.with_balancer = false;
        options.nodes = 2;
        Cluster nodes(options);
        QVERIFY2(nodes.start(), qPrintable(nodes.error()));
        ChildProcess balancer("balancer", statelab_program("statelab-balancer"),
                              {"--port", "0", "--policy", "round-robin", "--health-interval-ms", "100"});
        QVERIFY2(balancer.start(), qPrintable(balancer.error()));
        HttpClient client(balancer.port());
        const HttpResponse empty = client.get("/healthz");
        QVERIFY2(empty.status == 503 && !empty.body.isEmpty(), qPrintable(empty.describe())); // nobody to serve
        for (int n = 1; n <= 2; ++n) {
            const QByteArray add = "/lb/backends?name=" + Cluster::node_name(n) +
                                   "&address=127.0.0.1:" + QByteArray::number(nodes.node(n).port());
            const HttpResponse added = client.post(add);
            QVERIFY2(added.status == 200, qPrintable(added.describe()));
            QCOMPARE(client.post(add).status, 409); // the name is taken
        }
        QSet<QByteArray> served;
        for (int i = 0; i < 4; ++i) served << client.get("/healthz").served_by();
        QCOMPARE(served, (QSet<QByteArray>{"node-1", "node-2"}));
        QCOMPARE(client.request("DELETE", "/lb/backends?name=node-1").status, 200);
        QCOMPARE(client.request("DELETE", "/lb/backends?name=node-1").status, 404);
        QCOMPARE(lb_status(balancer.port()).keys(), QStringList{"node-2"});
        for (int i = 0; i < 4; ++i) QCOMPARE(client.get("/healthz").served_by(), QByteArray("node-2"));
        QCOMPARE(client.post("/lb/backends?name=far&address=10.0.0.1:80").status, 400); // loopback only
    }

    void statusFollowsNodeDeathAndReturn() {
        auto cluster = started("round-robin");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        ChildProcess& node2 = cluster->node(2);
        const quint16 port = node2.port();
        node2.kill();
        QVERIFY2(wait_for_state(cluster->port(), "node-2", "down"), "node-2 not reported down within 3 s");
        QCOMPARE(lb_status(cluster->port()).value("node-1").value("state").toString(), QStringLiteral("up"));
        HttpClient client(cluster->port());
        for (int i = 0; i < 6; ++i) {
            const HttpResponse r = client.get("/healthz");
            QVERIFY2(r.status == 200 && r.served_by() != "node-2", qPrintable(r.describe()));
        }
        QStringList& args = node2.arguments();
        args[args.indexOf("--port") + 1] = QString::number(port);
        QVERIFY2(node2.start(), qPrintable(node2.error()));
        QVERIFY2(wait_for_state(cluster->port(), "node-2", "up"), "node-2 not reported up within 3 s");
        QSet<QByteArray> nodes;
        for (int i = 0; i < 6; ++i) nodes << client.get("/healthz").served_by();
        QVERIFY(nodes.contains("node-2"));
    }

    void pausedNodeIsTakenOutOfRotation() {
        // SIGSTOP: the kernel still accepts connections for it, but it never answers (a hung
        // node). Only the active health check's timeout can notice.
        auto cluster = started("round-robin");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        QVERIFY(cluster->node(3).pause());
        QVERIFY2(wait_for_state(cluster->port(), "node-3", "down"), "paused node-3 still up after 3 s");
        HttpClient client(cluster->port());
        for (int i = 0; i < 6; ++i) {
            const HttpResponse r = client.get("/healthz");
            QVERIFY2(r.status == 200 && r.served_by() != "node-3", qPrintable(r.describe()));
        }
        QVERIFY(cluster->node(3).resume());
        QVERIFY2(wait_for_state(cluster->port(), "node-3", "up"), "resumed node-3 not up after 3 s");
    }

    void sigtermStopsTheBalancerCleanly() {
        auto cluster = started("round-robin");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        QCOMPARE(HttpClient(cluster->port()).get("/healthz").status, 200);
        cluster->balancer().terminate();
        QVERIFY2(cluster->balancer().wait_for_exit(5000), "balancer still running 5 s after SIGTERM");
        QVERIFY(!cluster->balancer().crashed());
        QCOMPARE(cluster->balancer().exit_code(), 0);
    }

    void badRequestsAreRefused() {
        auto cluster = started("round-robin");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        HttpClient client(cluster->port());
        const HttpResponse garbage = client.send_raw("this is not http\r\n\r\n");
        QVERIFY2(garbage.status == 400, qPrintable(garbage.describe()));
        const HttpResponse huge = client.get("/healthz", {{"X-Filler", QByteArray(20'000, 'a')}});
        QVERIFY2(huge.status == 431, qPrintable(huge.describe()));
        QCOMPARE(client.get("/lb/nothing-here").status, 404);
        QCOMPARE(client.get("/healthz").status, 200); // and it still serves
    }

    void noHealthyBackendIs503() {
        auto cluster = started("round-robin");
        QVERIFY2(cluster->port(), qPrintable(cluster->error()));
        for (int n = 1; n <= cluster->size(); ++n) cluster->node(n).kill();
        HttpClient client(cluster->port());
        for (int i = 0; i < 3; ++i) {
            const HttpResponse r = client.get("/cart");
            QVERIFY2(r.status == 503 && !r.body.trimmed().isEmpty(), qPrintable(r.describe()));
        }
        const auto status = lb_status(cluster->port());
        QCOMPARE(status.size(), 3);
        for (const QJsonObject& b : status) QCOMPARE(b.value("state").toString(), QStringLiteral("down"));
    }

    void badOptionsExitTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("health checks too often") << QStringList{"--health-interval-ms", "10"} << "--health-interval-ms";
        QTest::newRow("unknown policy") << QStringList{"--policy", "sticky-ish", "--backend", "node-1=127.0.0.1:9"} << "--policy";
        QTest::newRow("backend without name") << QStringList{"--backend", "127.0.0.1:9"} << "--backend";
        QTest::newRow("backend not loopback") << QStringList{"--backend", "node-1=10.1.1.1:80"} << "--backend";
        QTest::newRow("same name twice") << QStringList{"--backend", "n=127.0.0.1:9", "--backend", "n=127.0.0.1:10"} << "twice";
        QTest::newRow("bad failover") << QStringList{"--backend", "n=127.0.0.1:9", "--failover", "maybe"} << "--failover";
    }
    void badOptionsExitTwo() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QProcess process;
        process.start(statelab_program("statelab-balancer"), args);
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitCode(), 2);
        const QString err = QString::fromUtf8(process.readAllStandardError()).trimmed();
        QVERIFY2(!err.isEmpty() && !err.contains('\n') && err.contains(mentions), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestBalancerPolicies)
#include "tst_balancer_policies.moc"
