// The lab's sticky mode with real HAProxy in front instead of statelab-balancer
// (`cookie SRV insert indirect nocache`): our backends must behave the same behind it, so the
// lab's numbers mean the same thing with either balancer.
#include "support/cluster.hpp"
#include "support/http_client.hpp"
#include "support/required_tool.hpp"

#include <QDeadlineTimer>
#include <QSet>
#include <QThread>
#include <QtTest>

using namespace statelab::test;

class TestHaproxyInterop : public QObject {
    Q_OBJECT
    std::unique_ptr<Cluster> m_nodes;
    std::unique_ptr<HaproxyProcess> m_haproxy;

    quint16 port() const { return m_haproxy->port(); }

private slots:
    void init() {
        REQUIRE_TOOL(find_tool("haproxy"), "haproxy (Debian package haproxy)");
        ClusterOptions options;
        options.with_balancer = false;
        m_nodes = std::make_unique<Cluster>(options);
        QVERIFY2(m_nodes->start(), qPrintable(m_nodes->error()));
        QList<QPair<QByteArray, quint16>> servers;
        for (int n = 1; n <= m_nodes->size(); ++n) servers.append({Cluster::node_name(n), m_nodes->node(n).port()});
        m_haproxy = std::make_unique<HaproxyProcess>(servers);
        QVERIFY2(m_haproxy->start(), qPrintable(m_haproxy->error()));
    }
    void cleanup() {
        m_haproxy.reset();
        m_nodes.reset();
    }

    void cookiePinsAUserToOneNode() {
        HttpClient alice(port());
        const HttpResponse login = alice.post("/login?user=alice");
        QVERIFY2(login.status == 200, qPrintable(login.describe()));
        const QByteArray node = login.served_by();
        QVERIFY(node.startsWith("node-"));
        QCOMPARE(alice.cookie("SRV"), node);
        QVERIFY(!alice.cookie("SID").isEmpty()); // the backend's own cookie passes through
        QVERIFY(login.header("cache-control").contains("no-store"));
        for (int i = 0; i < 50; ++i) {
            const HttpResponse r = alice.get("/cart");
            QVERIFY2(r.status == 200 && r.session_state() == "hit" && r.served_by() == node, qPrintable(r.describe()));
        }
        QSet<QByteArray> nodes{node};
        for (const char* user : {"bob", "carol", "dave"}) {
            HttpClient other(port());
            const HttpResponse r = other.post(QByteArray("/login?user=") + user);
            QCOMPARE(r.status, 200);
            QCOMPARE(other.cookie("SRV"), r.served_by());
            nodes << r.served_by();
        }
        QVERIFY2(nodes.size() >= 2, "every user pinned to the same node");
    }

    void nodeDeathLosesTheSessionVisibly() {
        HttpClient client(port());
        QCOMPARE(client.post("/login?user=alice").status, 200);
        QCOMPARE(client.post("/cart/items?item=apple").status, 200);
        const QByteArray pinned = client.cookie("SRV");
        m_nodes->node(pinned).kill();

        // HAProxy retries, then redispatches (or its checks take the node out first): either
        // way the user soon reaches another node, which honestly has no such session.
        HttpResponse r;
        QDeadlineTimer deadline(5000);
        do {
            r = client.get("/cart");
            if (r.status == 401) break;
            QVERIFY2(r.status == 502 || r.status == 503 || !r.ok(), qPrintable(r.describe()));
            QThread::msleep(50);
        } while (!deadline.hasExpired());
        QVERIFY2(r.status == 401, qPrintable(r.describe()));
        QCOMPARE(r.session_state(), QByteArray("miss"));
        QVERIFY(r.served_by() != pinned);

        QCOMPARE(client.post("/login?user=alice").status, 200);
        const QByteArray repinned = client.cookie("SRV");
        QVERIFY(!repinned.isEmpty() && repinned != pinned);
        for (int i = 0; i < 10; ++i) {
            const HttpResponse again = client.get("/cart");
            QVERIFY2(again.status == 200 && again.served_by() == repinned, qPrintable(again.describe()));
        }
    }
};

QTEST_GUILESS_MAIN(TestHaproxyInterop)
#include "tst_haproxy_interop.moc"
