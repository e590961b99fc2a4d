// Shared-store mode against a real, password-protected redis-server: any node serves any user,
// a node's death loses nothing, and Redis itself is the single point of failure (503, not a
// crash or a silent empty cart) until it is back.
#include "support/cluster.hpp"
#include "support/http_client.hpp"
#include "support/redis_server.hpp"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <functional>
#include <thread>

using namespace statelab::test;

namespace {

constexpr int session_ttl = 60;

QStringList items_of(const HttpResponse& r) {
    QStringList out;
    for (const auto& v : QJsonDocument::fromJson(r.body).object().value("items").toArray()) out << v.toString();
    return out;
}

// Repeats `request` until it answers 200 (every 50 ms, 3 s at most): Redis coming back.
HttpResponse until_ok(const std::function<HttpResponse()>& request) {
    QDeadlineTimer deadline(3000);
    HttpResponse r;
    do {
        r = request();
        if (r.status != 200) QThread::msleep(50);
    } while (r.status != 200 && !deadline.hasExpired());
    return r;
}

} // namespace

class TestRedisStore : public QObject {
    Q_OBJECT
    RedisServer m_redis;
    std::unique_ptr<Cluster> m_cluster;

    // Logs a new user in through the balancer and fills the cart.
    bool shop(HttpClient& client, const QByteArray& user, const QStringList& items) {
        if (client.post("/login?user=" + user).status != 200) return false;
        for (const QString& item : items)
            if (client.post("/cart/items?item=" + item.toUtf8()).status != 200) return false;
        return true;
    }

private slots:
    void initTestCase() {
        QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
        ClusterOptions options;
        options.store = "redis";
        options.policy = "round-robin";
        options.backend_args = {"--redis", m_redis.address(), "--redis-password-file", m_redis.password_file(),
                                "--session-ttl", QString::number(session_ttl)};
        m_cluster = std::make_unique<Cluster>(options);
        QVERIFY2(m_cluster->start(), qPrintable(m_cluster->error()));
    }
    void cleanupTestCase() { m_cluster.reset(); }

    void everyNodeServesTheSameCart() {
        HttpClient client(m_cluster->port());
        QVERIFY(shop(client, "alice", {"apple", "pear", "plum"}));
        QSet<QByteArray> nodes;
        for (int i = 0; i < 30; ++i) {
            const HttpResponse r = client.get("/cart");
            QVERIFY2(r.status == 200 && r.session_state() == "hit", qPrintable(r.describe()));
            QCOMPARE(items_of(r), (QStringList{"apple", "pear", "plum"}));
            nodes << r.served_by();
        }
        QCOMPARE(nodes, (QSet<QByteArray>{"node-1", "node-2", "node-3"}));
    }

    // Two requests of one session at once on two nodes (a client that gave up on a slow answer
    // and went on; two tabs): each node reads the cart, adds its item and writes the cart back.
    // A write the client was told succeeded is never overwritten by the other's older cart: a
    // write that lost the race is refused (409), not silently undone. Last-writer-wins lost
    // carts' items under load with no failure at all.
    void concurrentWritesNeverUndoAnAcknowledgedOne() {
        HttpClient login(m_cluster->port());
        QVERIFY(shop(login, "zoe", {}));
        const QByteArray sid = login.cookie("SID");
        QVERIFY(!sid.isEmpty());
        constexpr int adds = 45; // two writers, within the cart's cap of 100
        QStringList acknowledged[2];
        int refused[2] = {0, 0};
        QString unexpected[2];
        auto writer = [&](int w) {
            HttpClient client(m_cluster->port());
            client.set_cookie("SID", sid);
            for (int i = 0; i < adds; ++i) {
                const QByteArray item = QByteArray(w == 0 ? "a" : "b") + QByteArray::number(i);
                const HttpResponse r = client.post("/cart/items?item=" + item);
                if (r.status == 200) acknowledged[w] << QString::fromLatin1(item);
                else if (r.status == 409) ++refused[w];
                else if (unexpected[w].isEmpty()) unexpected[w] = r.describe();
            }
        };
        std::thread first(writer, 0), second(writer, 1);
        first.join();
        second.join();
        QVERIFY2(unexpected[0].isEmpty() && unexpected[1].isEmpty(), qPrintable(unexpected[0] + " " + unexpected[1]));
        const HttpResponse cart = login.get("/cart");
        QCOMPARE(cart.status, 200);
        const QStringList held = items_of(cart);
        QStringList undone;
        for (const QStringList& list : acknowledged)
            for (const QString& item : list)
                if (!held.contains(item)) undone << item;
        qInfo("acknowledged %lld + %lld adds, %d + %d refused as conflicts, %lld undone", acknowledged[0].size(),
              acknowledged[1].size(), refused[0], refused[1], undone.size());
        QVERIFY2(undone.isEmpty(), qPrintable(QStringLiteral("acknowledged, then gone: ") + undone.join(',')));
        QVERIFY(acknowledged[0].size() + acknowledged[1].size() > 0);
    }

    void keysCarryTheIdleTtl() {
        HttpClient client(m_cluster->port());
        QVERIFY(shop(client, "bob", {"tea"}));
        const QByteArray key = "statelab:sess:" + client.cookie("SID");
        const RedisReply ttl = m_redis.command({"TTL", key});
        QVERIFY2(ttl.type == RedisReply::Type::integer, ttl.text.constData());
        QVERIFY2(ttl.integer > 0 && ttl.integer <= session_ttl, qPrintable(QString::number(ttl.integer)));

        static const QRegularExpression shape(QStringLiteral("^statelab:sess:[0-9a-f]{32}$"));
        const RedisReply keys = m_redis.command({"KEYS", "*"});
        QVERIFY(keys.elements.contains(key));
        for (const QByteArray& k : keys.elements) QVERIFY2(shape.match(QString::fromUtf8(k)).hasMatch(), k.constData());

        // A hit refreshes the idle TTL: shorten it by hand, read the cart, it is back to full.
        QCOMPARE(m_redis.command({"EXPIRE", key, "5"}).integer, 1LL);
        QCOMPARE(client.get("/cart").status, 200);
        QVERIFY(m_redis.command({"TTL", key}).integer > 5);

        QCOMPARE(client.post("/logout").status, 200);
        QCOMPARE(m_redis.command({"EXISTS", key}).integer, 0LL); // logout deletes it
    }

    void cartSurvivesKillingAnyNode() {
        HttpClient client(m_cluster->port());
        QVERIFY(shop(client, "carol", {"book", "lamp"}));
        for (int number = 1; number <= m_cluster->size(); ++number) {
            ChildProcess& victim = m_cluster->node(number);
            const quint16 port = victim.port();
            victim.kill();
            QSet<QByteArray> nodes;
            for (int i = 0; i < 6; ++i) {
                const HttpResponse r = client.get("/cart");
                QVERIFY2(r.status == 200, qPrintable(QStringLiteral("node-%1 killed: %2").arg(number).arg(r.describe())));
                QCOMPARE(items_of(r), (QStringList{"book", "lamp"}));
                nodes << r.served_by();
            }
            QVERIFY(!nodes.contains(Cluster::node_name(number)));
            QCOMPARE(nodes.size(), 2);

            // Back on its old port, so the balancer finds it again.
            QStringList& args = victim.arguments();
            args[args.indexOf("--port") + 1] = QString::number(port);
            QVERIFY2(victim.start(), qPrintable(victim.error()));
            QDeadlineTimer deadline(3000);
            bool served = false;
            while (!served && !deadline.hasExpired()) {
                const HttpResponse r = client.get("/cart");
                QVERIFY2(r.status == 200, qPrintable(r.describe()));
                served = r.served_by() == Cluster::node_name(number);
            }
            QVERIFY2(served, "a restarted node got no traffic within 3 s");
        }
    }

    // A hung Redis (SIGSTOP: its port still accepts connections). The request that finds out
    // waits no longer than the store's command timeout (1 s) and gets 503 store-unavailable;
    // the node's /healthz answers at once all the while (it once waited behind the store call);
    // the requests after it fail at once; SIGCONT brings the carts back.
    void hungRedisFailsFastAndHealthStaysUp() {
        const quint16 node = m_cluster->node(1).port(); // straight to a node: its own behaviour
        HttpClient client(node);
        QVERIFY(shop(client, "gus", {"map"}));
        QVERIFY(m_redis.pause());
        auto resume = qScopeGuard([&] { m_redis.resume(); });

        std::atomic<bool> answered{false};
        HttpResponse first;
        QElapsedTimer took;
        took.start();
        std::thread waiting([&] {
            first = client.get("/cart");
            answered = true;
        });
        int checks = 0;
        qint64 slowest = 0;
        HttpClient health(node);
        while (!answered && took.elapsed() < 5000) {
            QElapsedTimer one;
            one.start();
            const int status = health.get("/healthz").status;
            slowest = std::max(slowest, one.elapsed());
            checks += status == 200;
            QThread::msleep(20); // pacing, not waiting for a result
        }
        waiting.join();
        const qint64 waited = took.elapsed();
        const QString report = QStringLiteral("first answer %1 after %2 ms; %3 health checks meanwhile, slowest %4 ms")
                                   .arg(first.status).arg(waited).arg(checks).arg(slowest);
        qInfo().noquote() << report;
        QVERIFY2(first.status == 503 && first.session_state() == "store-unavailable", qPrintable(first.describe()));
        QVERIFY2(waited < 1800, qPrintable(report));
        QVERIFY2(checks >= 5 && slowest < 250, qPrintable(report));

        QElapsedTimer second;
        second.start();
        const HttpResponse again = client.get("/cart");
        QVERIFY2(again.status == 503 && second.elapsed() < 250,
                 qPrintable(QStringLiteral("%1 after %2 ms").arg(again.status).arg(second.elapsed())));

        QVERIFY(m_redis.resume());
        const HttpResponse back = until_ok([&] { return client.get("/cart"); });
        QVERIFY2(back.status == 200, qPrintable(back.describe()));
        QCOMPARE(items_of(back), QStringList{"map"}); // Redis kept it; nothing was lost
    }

    void redisDownMeansServiceUnavailable() {
        HttpClient client(m_cluster->port());
        QVERIFY(shop(client, "dave", {"pen"}));
        m_redis.kill();
        QSet<QByteArray> nodes;
        for (int i = 0; i < 6; ++i) {
            const HttpResponse r = client.get("/cart");
            QVERIFY2(r.status == 503, qPrintable(r.describe()));
            QCOMPARE(r.session_state(), QByteArray("store-unavailable"));
            nodes << r.served_by();
        }
        QCOMPARE(nodes.size(), 3); // every node says so; none falls back to an empty cart
        HttpClient newcomer(m_cluster->port());
        const HttpResponse login = newcomer.post("/login?user=erin");
        QVERIFY2(login.status == 503 && login.set_cookie("SID").isEmpty(), qPrintable(login.describe()));
        // The nodes themselves are fine: health checks must not take them all out of rotation.
        for (int number = 1; number <= m_cluster->size(); ++number)
            QCOMPARE(HttpClient(m_cluster->node(number).port()).get("/healthz").status, 200);
    }

    void redisBackMeansServiceBack() {
        QVERIFY2(m_redis.start(), qPrintable(m_redis.error())); // same port, empty (no persistence)
        HttpClient client(m_cluster->port());
        const HttpResponse login = until_ok([&] { return client.post("/login?user=fay"); });
        QVERIFY2(login.status == 200, qPrintable(login.describe()));
        QCOMPARE(client.post("/cart/items?item=cup").status, 200);
        for (int i = 0; i < 6; ++i) {
            const HttpResponse r = client.get("/cart");
            QVERIFY2(r.status == 200, qPrintable(r.describe()));
            QCOMPARE(items_of(r), QStringList{"cup"});
        }
        // A session from before the restart is gone with Redis's memory: a miss, cleanly.
        HttpClient old(m_cluster->port());
        old.set_cookie("SID", "0123456789abcdef0123456789abcdef");
        QCOMPARE(old.get("/cart").session_state(), QByteArray("miss"));
    }
};

QTEST_GUILESS_MAIN(TestRedisStore)
#include "tst_redis_store.moc"
