// The tests' own HTTP client (tests/support) against a scripted in-process server: every
// integration test trusts its parsing, its cookie jar and its reconnects, so they are checked.
#include "support/http_client.hpp"
#include "support/loopback_server.hpp"

#include <QtTest>

#include <memory>

using namespace statelab::test;

namespace {

// Answers each request with the next scripted reply; a reply ending in "<close>" is sent and
// then the connection is closed (like an idle timeout).
LoopbackServer::Answerer scripted(QList<QByteArray> replies) {
    auto next = std::make_shared<std::atomic<int>>(0);
    return [replies = std::move(replies), next](const ReceivedRequest&) {
        const int i = (*next)++;
        if (i >= replies.size()) return Answer::drop();
        QByteArray reply = replies[i];
        if (!reply.endsWith("<close>")) return Answer::reply(reply.toStdString());
        reply.chop(7);
        return Answer::reply_and_close(reply.toStdString());
    };
}

} // namespace

class TestHttpClient : public QObject {
    Q_OBJECT
private slots:
    void parsesAndKeepsTheConnection() {
        LoopbackServer server(scripted({"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Served-By: node-1\r\nX-Twice: a\r\nx-twice: b\r\n\r\nhello",
                               "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"}));
        HttpClient client(server.port());
        const HttpResponse first = client.get("/a");
        QVERIFY2(first.ok(), qPrintable(first.error));
        QCOMPARE(first.status, 200);
        QCOMPARE(first.body, QByteArray("hello"));
        QCOMPARE(first.served_by(), QByteArray("node-1"));
        QCOMPARE(first.header("X-TWICE"), QByteArray("a, b"));
        const HttpResponse second = client.get("/b");
        QCOMPARE(second.status, 404);
        QCOMPARE(second.body, QByteArray("abcde"));
        QCOMPARE(server.connections(), 1);
        QVERIFY(server.requests().at(1).starts_with("GET /b HTTP/1.1\r\n"));
    }

    void reconnectsWhenTheServerClosedTheIdleConnection() {
        LoopbackServer server(scripted({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok<close>",
                               "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain"}));
        HttpClient client(server.port());
        QCOMPARE(client.get("/first").status, 200);
        QTRY_COMPARE(server.closed(), 1); // the server's close arrives while we are idle
        const HttpResponse r = client.get("/second");
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.body, QByteArray("again"));
        QCOMPARE(server.connections(), 2);
        QCOMPARE(server.requests().size(), std::size_t(2)); // sent once, on the new connection
    }

    void cookieJar() {
        LoopbackServer server(scripted({"HTTP/1.1 200 OK\r\nSet-Cookie: SID=abc; Path=/; HttpOnly\r\nSet-Cookie: SRV=node-2; Path=/\r\nContent-Length: 0\r\n\r\n",
                               "HTTP/1.1 200 OK\r\nSet-Cookie: SID=; Path=/; Max-Age=0\r\nContent-Length: 0\r\n\r\n",
                               "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}));
        HttpClient client(server.port());
        const HttpResponse login = client.post("/login");
        QCOMPARE(login.set_cookies.size(), 2);
        QCOMPARE(login.set_cookie("SRV"), QByteArray("SRV=node-2; Path=/"));
        QCOMPARE(client.cookie("SID"), QByteArray("abc"));
        client.post("/logout");
        QVERIFY(!client.cookies().contains("SID"));
        client.get("/cart");
        QList<QByteArray> requests;
        for (const std::string& head : server.requests()) requests << QByteArray::fromStdString(head);
        QVERIFY2(requests.value(1).contains("\r\nCookie: SID=abc; SRV=node-2\r\n"), requests.value(1).constData());
        QVERIFY2(requests.value(2).contains("\r\nCookie: SRV=node-2\r\n"), requests.value(2).constData());
        QVERIFY(requests.value(0).contains("\r\nContent-Length: 0\r\n")); // a POST always says its length
    }

    void failuresAreReportedNotHung() {
        // Nothing listens on a port we just closed.
        quint16 dead_port;
        {
            LoopbackServer gone(scripted({}));
            dead_port = gone.port();
        }
        HttpClient refused(dead_port);
        refused.set_timeout_ms(1000);
        const HttpResponse r = refused.get("/");
        QVERIFY(!r.ok());
        QCOMPARE(r.status, 0);

        LoopbackServer silent(scripted({"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"}));
        HttpClient client(silent.port());
        client.set_timeout_ms(300);
        QElapsedTimer timer;
        timer.start();
        const HttpResponse cut = client.get("/");
        QVERIFY(!cut.ok());
        QVERIFY2(cut.error.contains("incomplete"), qPrintable(cut.error));
        QVERIFY(timer.elapsed() < 3000);
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_http_client.moc"
