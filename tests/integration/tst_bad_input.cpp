// What a skeptical engineer's bad input found (issue 11), kept fixed, against both real
// servers: statelab-backend directly and statelab-balancer in front of it. Every bad request
// gets a clear status at once; nothing is buffered without bound, nothing is created, and no
// body is ever read as the next request.
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/prometheus_text.hpp"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <memory>
#include <vector>

using namespace statelab::test;

namespace {

} // namespace

class TestBadInput : public QObject {
    Q_OBJECT
    std::unique_ptr<ChildProcess> m_node, m_balancer;

    quint16 portOf(const QString& server) const { return server == QLatin1String("backend") ? m_node->port() : m_balancer->port(); }
    long long nodeMetric(const QByteArray& name) { return prometheus_value(HttpClient(m_node->port()).get("/metrics").body, name); }

    static void servers() {
        QTest::addColumn<QString>("server");
        QTest::newRow("backend") << QStringLiteral("backend");
        QTest::newRow("balancer") << QStringLiteral("balancer");
    }

private slots:
    void initTestCase() {
        m_node = std::make_unique<ChildProcess>("node-1", statelab_program("statelab-backend"),
                                                QStringList{"--name", "node-1", "--port", "0"});
        QVERIFY2(m_node->start(), qPrintable(m_node->error()));
        m_balancer = std::make_unique<ChildProcess>(
            "balancer", statelab_program("statelab-balancer"),
            QStringList{"--port", "0", "--backend", QStringLiteral("node-1=127.0.0.1:%1").arg(m_node->port())});
        QVERIFY2(m_balancer->start(), qPrintable(m_balancer->error()));
    }
    void cleanupTestCase() {
        m_balancer.reset();
        m_node.reset();
    }

    // `3;eeee…`: a chunk-size line that never ends. Refused at once with 413, not buffered
    // (it once grew the backend by 186 MB for 200 MB sent).
    void endlessChunkExtensionIsRefused_data() { servers(); }
    void endlessChunkExtensionIsRefused() {
        QFETCH(QString, server);
        const long long rss_before = nodeMetric("statelab_resident_memory_bytes");
        QElapsedTimer took;
        took.start();
        const QByteArray request = "POST /cart/items?item=a HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: chunked\r\n\r\n3;" +
                                   QByteArray(2 * 1024 * 1024, 'e');
        const HttpResponse r = HttpClient(portOf(server)).send_raw(request);
        QVERIFY2(r.status == 413, qPrintable(r.describe()));
        QVERIFY2(took.elapsed() < 5000, "not refused at once");
        const long long growth = nodeMetric("statelab_resident_memory_bytes") - rss_before;
        QVERIFY2(growth < 8 * 1024 * 1024, qPrintable(QStringLiteral("the backend grew %1 bytes").arg(growth)));
    }

    // %ff and %c3%28 decode to bytes that are not UTF-8: 400 with a clear body, nothing created.
    void invalidUtf8InTheQueryIs400_data() {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QByteArray>("target");
        for (const char* server : {"backend", "balancer"}) {
            QTest::addRow("%s login %%ff", server) << server << QByteArray("/login?user=%ff");
            QTest::addRow("%s login %%c3%%28", server) << server << QByteArray("/login?user=%c3%28");
            QTest::addRow("%s login surrogate", server) << server << QByteArray("/login?user=%ed%a0%80");
            QTest::addRow("%s login bad escape", server) << server << QByteArray("/login?user=%zz");
            QTest::addRow("%s login cut escape", server) << server << QByteArray("/login?user=a%4");
        }
    }
    void invalidUtf8InTheQueryIs400() {
        QFETCH(QString, server);
        QFETCH(QByteArray, target);
        const long long sessions = nodeMetric("statelab_sessions_active");
        HttpClient client(portOf(server));
        const HttpResponse r = client.post(target);
        QVERIFY2(r.status == 400, qPrintable(r.describe()));
        QVERIFY2(r.body.contains("UTF-8") || r.body.contains("escape"), r.body.constData());
        QVERIFY(client.cookie("SID").isEmpty());
        QCOMPARE(nodeMetric("statelab_sessions_active"), sessions);
        // A valid UTF-8 name still works (é, a CJK character).
        QCOMPARE(HttpClient(portOf(server)).post("/login?user=%c3%a9%e6%bc%a2").status, 200);
    }

    void anItemThatIsNotUtf8Is400() {
        HttpClient client(m_node->port());
        QCOMPARE(client.post("/login?user=ivy").status, 200);
        const HttpResponse r = client.post("/cart/items?item=%c3%28");
        QVERIFY2(r.status == 400, qPrintable(r.describe()));
        QCOMPARE(client.get("/cart").status, 200); // the session is fine, the cart unchanged
    }

    // One client cannot grow a cart without bound: at most 100 items of at most 256 bytes,
    // then a clear 413; the cart stays as it was.
    void cartsAreCapped() {
        HttpClient client(m_node->port());
        QCOMPARE(client.post("/login?user=hoarder").status, 200);
        for (int i = 0; i < 100; ++i) QCOMPARE(client.post("/cart/items?item=i" + QByteArray::number(i)).status, 200);
        const HttpResponse full = client.post("/cart/items?item=one-more");
        QVERIFY2(full.status == 413 && full.body.contains("at most 100 items"), qPrintable(full.describe()));
        const HttpResponse big = client.post("/cart/items?item=" + QByteArray(300, 'x'));
        QVERIFY2(big.status == 413 && big.body.contains("at most 256 bytes"), qPrintable(big.describe()));
        const HttpResponse cart = client.get("/cart");
        QCOMPARE(cart.status, 200);
        QCOMPARE(QJsonDocument::fromJson(cart.body).object().value("items").toArray().size(), 100);
    }

    // A node holds at most --max-sessions: the least recently used goes first, counted in
    // /metrics; its owner is told (401), the newest users are fine.
    void sessionsPerNodeAreCapped() {
        ChildProcess node("node-cap", statelab_program("statelab-backend"),
                          QStringList{"--name", "node-cap", "--port", "0", "--max-sessions", "50"});
        QVERIFY2(node.start(), qPrintable(node.error()));
        std::vector<std::unique_ptr<HttpClient>> users;
        for (int i = 0; i < 60; ++i) {
            users.push_back(std::make_unique<HttpClient>(node.port()));
            QCOMPARE(users.back()->post("/login?user=u" + QByteArray::number(i)).status, 200);
        }
        const QByteArray page = HttpClient(node.port()).get("/metrics").body;
        QCOMPARE(prometheus_value(page, "statelab_sessions_active"), 50);
        QCOMPARE(prometheus_value(page, "statelab_sessions_evicted_total"), 10);
        QCOMPARE(users.front()->get("/cart").status, 401); // the oldest went first
        QCOMPARE(users.back()->get("/cart").status, 200);
    }

    // The balancer's control API takes a node name and a loopback address, nothing else: a CR LF
    // in the name once came back as a forged header in every pinned response.
    void controlApiValidatesNamesAndAddresses_data() {
        QTest::addColumn<QByteArray>("query");
        QTest::newRow("header injection") << QByteArray("name=evil%0d%0aX-Injected:%20yes&address=127.0.0.1:9");
        QTest::newRow("cookie attributes") << QByteArray("name=n%3B%20Domain%3Dexample.com%3B%20Max-Age%3D999999999&address=127.0.0.1:9");
        QTest::newRow("15 KB name") << "name=" + QByteArray(15 * 1024, 'n') + "&address=127.0.0.1:9";
        QTest::newRow("port past 65535") << QByteArray("name=node-9&address=127.0.0.1:4294967297");
        QTest::newRow("port 0") << QByteArray("name=node-9&address=127.0.0.1:0");
        QTest::newRow("not loopback") << QByteArray("name=node-9&address=10.0.0.1:80");
    }
    void controlApiValidatesNamesAndAddresses() {
        QFETCH(QByteArray, query);
        const HttpResponse r = HttpClient(m_balancer->port()).post("/lb/backends?" + query);
        QVERIFY2(r.status == 400 || r.status == 431, qPrintable(r.describe()));
        const HttpResponse status = HttpClient(m_balancer->port()).get("/lb/status");
        QVERIFY2(!status.body.contains("node-9") && !status.body.contains("evil") && !status.body.contains("Domain"),
                 status.body.constData());
    }

    // Started with a control token (as the lab's engine starts it), the balancer changes its
    // backends only for who knows the token; its status stays readable.
    void controlApiWantsTheToken() {
        QTemporaryDir dir;
        QFile token(dir.filePath("token"));
        QVERIFY(token.open(QIODevice::WriteOnly));
        token.write("s3cret-token\n");
        token.close();
        ChildProcess lb("balancer-token", statelab_program("statelab-balancer"),
                        QStringList{"--port", "0", "--control-token-file", token.fileName()});
        QVERIFY2(lb.start(), qPrintable(lb.error()));
        const QByteArray add = "/lb/backends?name=node-1&address=127.0.0.1:" + QByteArray::number(m_node->port());
        QCOMPARE(HttpClient(lb.port()).post(add).status, 403);
        QCOMPARE(HttpClient(lb.port()).post(add, {{"X-Control-Token", "s3cret-tokeX"}}).status, 403);
        QCOMPARE(HttpClient(lb.port()).request("DELETE", "/lb/backends?name=node-1").status, 403);
        QCOMPARE(HttpClient(lb.port()).get("/lb/status").status, 200);
        QCOMPARE(HttpClient(lb.port()).post(add, {{"X-Control-Token", "s3cret-token"}}).status, 200);
        QCOMPARE(HttpClient(lb.port()).post("/login?user=kim").status, 200); // served through node-1 now
    }

    // RFC 9112 framing: unknown transfer codings 501, missing or repeated Host 400 — and the
    // body is never taken for a next request.
    void framingIsChecked_data() {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("status");
        for (const char* server : {"backend", "balancer"}) {
            QTest::addRow("%s xchunked", server) << server << QByteArray("Host: lab\r\nTransfer-Encoding: xchunked\r\n") << 501;
            QTest::addRow("%s gzip", server) << server << QByteArray("Host: lab\r\nTransfer-Encoding: gzip\r\n") << 501;
            QTest::addRow("%s chunked, identity", server)
                << server << QByteArray("Host: lab\r\nTransfer-Encoding: chunked, identity\r\n") << 501;
            QTest::addRow("%s no host", server) << server << QByteArray("Content-Length: 0\r\n") << 400;
            QTest::addRow("%s two hosts", server) << server << QByteArray("Host: a\r\nHost: b\r\nContent-Length: 0\r\n") << 400;
        }
    }
    void framingIsChecked() {
        QFETCH(QString, server);
        QFETCH(QByteArray, head);
        QFETCH(int, status);
        // What a smuggler would hide in the body: a second request.
        const QByteArray hidden = "GET /healthz HTTP/1.1\r\nHost: lab\r\n\r\n";
        const HttpResponse r = HttpClient(portOf(server)).send_raw("POST /logout HTTP/1.1\r\n" + head + "\r\n" + hidden);
        QVERIFY2(r.status == status, qPrintable(r.describe()));
        QVERIFY(r.header("connection").toLower().contains("close"));
    }

    // Found by fuzz_request: Beast adds a chunked body's trailer fields to the header, after
    // the framing was checked. A trailer `Host:` made the balancer pass on a request with two
    // Hosts (the node refused it: 400). Trailers are dropped; the request is served as sent,
    // with the session cookie the node made, not the trailer's.
    void trailersDoNotBecomeHeaders() {
        const QByteArray request = "POST /login?user=trailer HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   "2\r\nhi\r\n0\r\nHost: elsewhere\r\nCookie: SID=forged\r\n\r\n";
        const HttpResponse r = HttpClient(m_balancer->port()).send_raw(request);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QVERIFY2(r.set_cookie("SID").startsWith("SID="), qPrintable(r.describe()));
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_bad_input.moc"
