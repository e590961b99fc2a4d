// The app server's HTTP contract (DESIGN.md), checked against a real statelab-backend on a
// free port: what a browser, the balancer and the load generator all rely on.
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/prometheus_text.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <QtTest>

#include <thread>

using namespace statelab::test;

namespace {

QStringList backend_args(const QString& name, QStringList extra = {}) {
    return QStringList{"--name", name, "--port", "0", "--store", "memory"} + extra;
}

QJsonObject json_object(const HttpResponse& r) { return QJsonDocument::fromJson(r.body).object(); }

QStringList items_of(const HttpResponse& r) {
    QStringList out;
    for (const auto& v : json_object(r).value("items").toArray()) out << v.toString();
    return out;
}

// The local addresses (hex, as /proc/net/tcp and tcp6 write them) of the sockets listening on
// `port`: "0100007F" is 127.0.0.1; "00000000" would be every interface.
QStringList listening_addresses(quint16 port) {
    QStringList out;
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile file{QString::fromLatin1(table)};
        if (!file.open(QIODevice::ReadOnly)) continue;
        file.readLine(); // header
        while (!file.atEnd()) {
            const QList<QByteArray> f = file.readLine().simplified().split(' ');
            if (f.size() < 4 || f[3] != "0A") continue; // LISTEN
            const QList<QByteArray> local = f[1].split(':');
            if (local.size() == 2 && local[1].toUInt(nullptr, 16) == port) out << QString::fromLatin1(local[0]);
        }
    }
    return out;
}

} // namespace

class TestBackendContract : public QObject {
    Q_OBJECT
    std::unique_ptr<ChildProcess> m_node;
    quint16 port() const { return m_node->port(); }

private slots:
    void initTestCase() {
        m_node = std::make_unique<ChildProcess>("node-1", statelab_program("statelab-backend"), backend_args("node-1"));
        QVERIFY2(m_node->start(), qPrintable(m_node->error()));
        QVERIFY(port() > 0);
    }
    void cleanupTestCase() { m_node.reset(); }

    void loginSetsSessionCookie() {
        HttpClient client(port());
        const HttpResponse r = client.post("/login?user=alice");
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.session_state(), QByteArray("new"));
        QCOMPARE(r.served_by(), QByteArray("node-1"));
        const QByteArray cookie = r.set_cookie("SID");
        static const QRegularExpression shape(QStringLiteral("^SID=[0-9a-f]{32};"));
        QVERIFY2(shape.match(QString::fromUtf8(cookie)).hasMatch(), cookie.constData());
        const QList<QByteArray> attributes = cookie.split(';');
        QList<QByteArray> trimmed;
        for (const QByteArray& a : attributes) trimmed << a.trimmed();
        QVERIFY2(trimmed.contains("HttpOnly") && trimmed.contains("SameSite=Lax") && trimmed.contains("Path=/"),
                 cookie.constData());
        QCOMPARE(json_object(r).value("user").toString(), QStringLiteral("alice"));

        // A second login from the same client rotates the id; the old one is dead.
        const QByteArray first = client.cookie("SID");
        QVERIFY(client.post("/login?user=alice").status == 200);
        QVERIFY(client.cookie("SID") != first);
        HttpClient stale(port());
        stale.set_cookie("SID", first);
        QCOMPARE(stale.get("/cart").session_state(), QByteArray("miss"));
    }

    void cartShapeAndAddItem() {
        HttpClient client(port());
        QCOMPARE(client.post("/login?user=bob").status, 200);
        HttpResponse cart = client.get("/cart");
        QVERIFY2(cart.status == 200, qPrintable(cart.describe()));
        QCOMPARE(cart.session_state(), QByteArray("hit"));
        QVERIFY(cart.header("content-type").contains("json"));
        const QJsonObject shape = json_object(cart);
        QCOMPARE(shape.keys(), (QStringList{"items", "user", "version"}));
        QCOMPARE(shape.value("user").toString(), QStringLiteral("bob"));
        QVERIFY(shape.value("items").isArray());
        const int version = shape.value("version").toInt(-1);
        QVERIFY(version >= 0);

        QVERIFY(client.post("/cart/items?item=apple").status == 200);
        const HttpResponse added = client.post("/cart/items?item=green%20tea");
        QVERIFY2(added.status == 200, qPrintable(added.describe()));
        QCOMPARE(items_of(added), (QStringList{"apple", "green tea"}));
        cart = client.get("/cart");
        QCOMPARE(items_of(cart), (QStringList{"apple", "green tea"}));
        QCOMPARE(json_object(cart).value("version").toInt(), version + 2);
        QCOMPARE(client.post("/cart/items").status, 400); // no item
    }

    void idempotentAddAndCheckout() {
        HttpClient client(port());
        QCOMPARE(client.post("/login?user=carol").status, 200);
        const HttpHeaders key{{"Idempotency-Key", "add-1"}};
        const HttpResponse first = client.post("/cart/items?item=book", key);
        const HttpResponse retry = client.post("/cart/items?item=book", key);
        QVERIFY2(first.status == 200 && retry.status == 200, qPrintable(retry.describe()));
        QCOMPARE(retry.body, first.body);
        QCOMPARE(items_of(client.get("/cart")), QStringList{"book"});
        // A different key is a different add.
        client.post("/cart/items?item=book", {{"Idempotency-Key", "add-2"}});
        QCOMPARE(items_of(client.get("/cart")), (QStringList{"book", "book"}));

        const HttpHeaders order_key{{"Idempotency-Key", "checkout-1"}};
        const HttpResponse order = client.post("/checkout", order_key);
        QVERIFY2(order.status == 200, qPrintable(order.describe()));
        const QString order_id = json_object(order).value("order").toString();
        QVERIFY(!order_id.isEmpty());
        QCOMPARE(items_of(client.get("/cart")), QStringList{});
        const HttpResponse again = client.post("/checkout", order_key);
        QCOMPARE(json_object(again).value("order").toString(), order_id); // the same order, not a new one
        const HttpResponse other = client.post("/checkout", {{"Idempotency-Key", "checkout-2"}});
        QVERIFY(json_object(other).value("order").toString() != order_id);
    }

    void logoutEndsTheSession() {
        HttpClient client(port());
        QCOMPARE(client.post("/login?user=dave").status, 200);
        const QByteArray sid = client.cookie("SID");
        const HttpResponse out = client.post("/logout");
        QVERIFY2(out.status == 200, qPrintable(out.describe()));
        QVERIFY2(out.set_cookie("SID").contains("Max-Age=0"), out.set_cookie("SID").constData());
        QVERIFY(client.cookie("SID").isEmpty()); // the jar honoured the deletion
        QCOMPARE(client.get("/cart").status, 401);
        // Replaying the old id (a copied cookie) finds nothing.
        client.set_cookie("SID", sid);
        const HttpResponse replay = client.get("/cart");
        QCOMPARE(replay.status, 401);
        QCOMPARE(replay.session_state(), QByteArray("miss"));
    }

    void unknownOrMissingSession_data() {
        QTest::addColumn<QByteArray>("sid");
        QTest::addColumn<QByteArray>("state");
        QTest::newRow("unknown id") << QByteArray("0123456789abcdef0123456789abcdef") << QByteArray("miss");
        QTest::newRow("garbage id") << QByteArray("not-a-session") << QByteArray("miss");
        QTest::newRow("no cookie") << QByteArray() << QByteArray("none");
    }
    void unknownOrMissingSession() {
        QFETCH(QByteArray, sid);
        QFETCH(QByteArray, state);
        HttpClient client(port());
        if (!sid.isEmpty()) client.set_cookie("SID", sid);
        for (const char* target : {"/cart", "/cart/items?item=x", "/checkout"}) {
            const HttpResponse r = QByteArray(target) == "/cart" ? client.get(target) : client.post(target);
            QVERIFY2(r.status == 401, qPrintable(r.describe()));
            QCOMPARE(r.session_state(), state);
            QCOMPARE(r.served_by(), QByteArray("node-1"));
            // Never a silent new empty cart, and no new session handed out.
            QVERIFY(!json_object(r).contains("items"));
            QVERIFY(r.set_cookie("SID").isEmpty());
        }
    }

    void everyResponseNamesTheNode() {
        HttpClient client(port());
        const QList<HttpResponse> responses{client.get("/healthz"), client.get("/metrics"), client.get("/nope"),
                                            client.get("/login"), client.post("/login"), client.get("/cart")};
        for (const HttpResponse& r : responses) {
            QVERIFY2(r.ok(), qPrintable(r.describe()));
            QCOMPARE(r.served_by(), QByteArray("node-1"));
            QVERIFY2(!r.session_state().isEmpty(), qPrintable(r.describe()));
        }
    }

    void healthAndErrors() {
        HttpClient client(port());
        const HttpResponse health = client.get("/healthz");
        QCOMPARE(health.status, 200);
        QCOMPARE(health.body.trimmed(), QByteArray("ok"));
        QCOMPARE(client.get("/no/such/page").status, 404);
        const HttpResponse wrong = client.get("/login?user=x");
        QCOMPARE(wrong.status, 405);
        QCOMPARE(wrong.header("allow"), QByteArray("POST"));
        QCOMPARE(client.post("/cart").status, 405);
        QCOMPARE(client.post("/healthz").status, 405);
        QCOMPARE(client.post("/login").status, 400); // no user
        // The connection survived all of that: errors are answers, not disconnects.
        QVERIFY(client.connected());
    }

    void metricsCountWhatHappened() {
        HttpClient client(port());
        const QByteArray before = client.get("/metrics").body;
        for (const char* name : {"statelab_requests_total", "statelab_sessions_active", "statelab_session_hits_total",
                                 "statelab_session_misses_total", "statelab_session_state_bytes",
                                 "statelab_resident_memory_bytes"})
            QVERIFY2(prometheus_value(before, name) >= 0, name);
        QVERIFY(before.contains("node=\"node-1\""));

        QCOMPARE(client.post("/login?user=erin").status, 200);
        QCOMPARE(client.get("/cart").status, 200);
        HttpClient stranger(port());
        stranger.set_cookie("SID", "ffffffffffffffffffffffffffffffff");
        QCOMPARE(stranger.get("/cart").status, 401);

        const QByteArray after = client.get("/metrics").body;
        // Users' requests only (login, cart, the stranger's cart): the scrape counts apart, so
        // a node's count equals what the clients sent it.
        QCOMPARE(prometheus_value(after, "statelab_requests_total"), prometheus_value(before, "statelab_requests_total") + 3);
        QCOMPARE(prometheus_value(after, "statelab_probe_requests_total"), prometheus_value(before, "statelab_probe_requests_total") + 1);
        QCOMPARE(client.get("/healthz").status, 200);
        const QByteArray probed = client.get("/metrics").body;
        QCOMPARE(prometheus_value(probed, "statelab_requests_total"), prometheus_value(after, "statelab_requests_total"));
        QCOMPARE(prometheus_value(probed, "statelab_probe_requests_total"), prometheus_value(after, "statelab_probe_requests_total") + 2);
        QCOMPARE(prometheus_value(after, "statelab_session_hits_total"), prometheus_value(before, "statelab_session_hits_total") + 1);
        QCOMPARE(prometheus_value(after, "statelab_session_misses_total"), prometheus_value(before, "statelab_session_misses_total") + 1);
        QCOMPARE(prometheus_value(after, "statelab_sessions_active"), prometheus_value(before, "statelab_sessions_active") + 1);
        QVERIFY(prometheus_value(after, "statelab_resident_memory_bytes") > 1'000'000);
    }

    void oversizeHeadersRefused() {
        HttpClient client(port());
        const HttpResponse r = client.get("/healthz", {{"X-Filler", QByteArray(20'000, 'a')}});
        QVERIFY2(r.status == 431, qPrintable(r.describe()));
        const HttpResponse garbage = client.send_raw("this is not http\r\n\r\n");
        QVERIFY2(garbage.status == 400, qPrintable(garbage.describe()));
    }

    void sigtermDrains() {
        ChildProcess node("node-drain", statelab_program("statelab-backend"), backend_args("node-drain"));
        QVERIFY2(node.start(), qPrintable(node.error()));
        HttpClient client(node.port());
        QCOMPARE(client.get("/healthz").status, 200); // the connection is open before SIGTERM
        QVERIFY(client.connected());
        node.terminate();
        // On the same connection: health turns 503 while the node drains (it still answers).
        HttpResponse r;
        QDeadlineTimer deadline(2000);
        do {
            QVERIFY2(client.connected(), "the node closed the connection instead of answering 503");
            r = client.get("/healthz");
        } while (r.status == 200 && !deadline.hasExpired());
        QVERIFY2(r.status == 503, qPrintable(r.describe()));
        QCOMPARE(r.body.trimmed(), QByteArray("draining"));
        QVERIFY(r.header("connection").toLower().contains("close"));
        QVERIFY2(node.wait_for_exit(5000), "still running 5 s after SIGTERM");
        QVERIFY(!node.crashed());
        QCOMPARE(node.exit_code(), 0);
    }

    // SIGTERM lets a request the node is working on finish: it is answered, then the node exits.
    void sigtermLetsInFlightRequestsFinish() {
        ChildProcess node("node-slow", statelab_program("statelab-backend"),
                          backend_args("node-slow", {"--response-delay-ms", "1500"}));
        QVERIFY2(node.start(), qPrintable(node.error()));
        HttpResponse answer;
        QElapsedTimer took;
        took.start();
        std::thread request([&] { answer = HttpClient(node.port()).post("/login?user=gus"); });
        // Inside the 1.5 s the node takes to answer (the request is in flight) comes SIGTERM.
        QTRY_COMPARE(prometheus_value(HttpClient(node.port()).get("/metrics").body, "statelab_requests_delayed"), 1LL);
        node.terminate();
        request.join();
        QVERIFY2(answer.status == 200, qPrintable(answer.describe()));
        QCOMPARE(answer.session_state(), QByteArray("new"));
        QVERIFY2(took.elapsed() >= 1400, "answered before its delay: the delay option does nothing");
        QVERIFY2(node.wait_for_exit(5000), "still running 5 s after SIGTERM");
        QCOMPARE(node.exit_code(), 0);
    }

    // Both servers listen on 127.0.0.1 alone: the kernel's own table says so, and the line
    // they print is read back from the socket.
    void serversBindLoopbackOnly() {
        ChildProcess balancer("balancer", statelab_program("statelab-balancer"),
                              {"--port", "0", "--backend", QStringLiteral("node-1=127.0.0.1:%1").arg(port())});
        QVERIFY2(balancer.start(), qPrintable(balancer.error()));
        for (const quint16 p : {port(), balancer.port()}) {
            const QStringList local = listening_addresses(p);
            QVERIFY2(local == QStringList{QStringLiteral("0100007F")},
                     qPrintable(QStringLiteral("port %1 listens on %2").arg(p).arg(local.join(','))));
        }
    }

    void idleSessionsExpire() {
        ChildProcess node("node-ttl", statelab_program("statelab-backend"), backend_args("node-ttl", {"--session-ttl", "1"}));
        QVERIFY2(node.start(), qPrintable(node.error()));
        HttpClient client(node.port());
        QCOMPARE(client.post("/login?user=fay").status, 200);
        QCOMPARE(client.get("/cart").status, 200);
        // Idle past the 1 s TTL: the sweeper reclaims the session (asked on another connection).
        QTRY_COMPARE_WITH_TIMEOUT(prometheus_value(HttpClient(node.port()).get("/metrics").body, "statelab_sessions_active"), 0LL, 5000);
        const HttpResponse r = client.get("/cart");
        QVERIFY2(r.status == 401, qPrintable(r.describe()));
        QCOMPARE(r.session_state(), QByteArray("miss"));
    }

    void badOptionsExitTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown store") << QStringList{"--store", "floppy"} << "--store";
        QTest::newRow("port out of range") << QStringList{"--port", "70000"} << "--port";
        QTest::newRow("unknown option") << QStringList{"--frobnicate"} << "frobnicate";
        QTest::newRow("ttl zero") << QStringList{"--session-ttl", "0"} << "--session-ttl";
        QTest::newRow("redis not loopback") << QStringList{"--store", "redis", "--redis", "10.0.0.1:6379"} << "--redis";
        QTest::newRow("missing secret file") << QStringList{"--store", "token", "--secret-file", "/nonexistent/secret"} << "--secret-file";
    }
    void badOptionsExitTwo() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QProcess process;
        process.start(statelab_program("statelab-backend"), args);
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 2);
        const QString err = QString::fromUtf8(process.readAllStandardError()).trimmed();
        QVERIFY2(!err.isEmpty() && !err.contains('\n'), qPrintable("not one line: " + err));
        QVERIFY2(err.contains(mentions), qPrintable(err));
        QVERIFY(!process.readAllStandardOutput().contains("listening"));
    }
};

QTEST_GUILESS_MAIN(TestBackendContract)
#include "tst_backend_contract.moc"
