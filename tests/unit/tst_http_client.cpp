// The tests' own HTTP client (tests/support) against a scripted in-process server: every
// integration test trusts its parsing, its cookie jar and its reconnects, so they are checked.
#include "support/http_client.hpp"

#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <thread>

using namespace statelab::test;

namespace {

// Accepts connections on 127.0.0.1 and answers each request with the next scripted reply; a
// reply ending in "<close>" is sent and then the connection is closed (like an idle timeout).
class ScriptedServer {
public:
    explicit ScriptedServer(QList<QByteArray> replies) : m_replies(std::move(replies)) {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(m_listener, 8);
        socklen_t len = sizeof addr;
        ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~ScriptedServer() {
        ::shutdown(m_listener, SHUT_RDWR);
        ::close(m_listener);
        m_thread.join();
    }
    quint16 port() const { return m_port; }
    QList<QByteArray> requests() {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }
    int connections() {
        std::lock_guard lock(m_mutex);
        return m_connections;
    }

private:
    void serve() {
        qsizetype next = 0;
        while (next < m_replies.size()) {
            const int fd = ::accept(m_listener, nullptr, nullptr);
            if (fd < 0) return;
            { std::lock_guard lock(m_mutex); ++m_connections; }
            QByteArray in;
            bool open = true;
            while (open && next < m_replies.size()) {
                while (!in.contains("\r\n\r\n")) {
                    char buf[4096];
                    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
                    if (n <= 0) { open = false; break; }
                    in.append(buf, n);
                }
                if (!open) break;
                const qsizetype end = in.indexOf("\r\n\r\n") + 4;
                { std::lock_guard lock(m_mutex); m_requests << in.left(end); }
                in.remove(0, end);
                QByteArray reply = m_replies[next++];
                const bool close_after = reply.endsWith("<close>");
                if (close_after) reply.chop(7);
                ::send(fd, reply.constData(), static_cast<size_t>(reply.size()), MSG_NOSIGNAL);
                if (close_after) open = false;
            }
            ::close(fd);
        }
    }

    QList<QByteArray> m_replies;
    int m_listener = -1;
    quint16 m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    QList<QByteArray> m_requests;
    int m_connections = 0;
};

} // namespace

class TestHttpClient : public QObject {
    Q_OBJECT
private slots:
    void parsesAndKeepsTheConnection() {
        ScriptedServer server({"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Served-By: node-1\r\nX-Twice: a\r\nx-twice: b\r\n\r\nhello",
                               "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"});
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
        QVERIFY(server.requests().value(1).startsWith("GET /b HTTP/1.1\r\n"));
    }

    void reconnectsWhenTheServerClosedTheIdleConnection() {
        ScriptedServer server({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok<close>",
                               "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain"});
        HttpClient client(server.port());
        QCOMPARE(client.get("/first").status, 200);
        QTest::qWait(50); // the server's close arrives while we are idle
        const HttpResponse r = client.get("/second");
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.body, QByteArray("again"));
        QCOMPARE(server.connections(), 2);
        QCOMPARE(server.requests().size(), 2); // sent once, on the new connection
    }

    void cookieJar() {
        ScriptedServer server({"HTTP/1.1 200 OK\r\nSet-Cookie: SID=abc; Path=/; HttpOnly\r\nSet-Cookie: SRV=node-2; Path=/\r\nContent-Length: 0\r\n\r\n",
                               "HTTP/1.1 200 OK\r\nSet-Cookie: SID=; Path=/; Max-Age=0\r\nContent-Length: 0\r\n\r\n",
                               "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"});
        HttpClient client(server.port());
        const HttpResponse login = client.post("/login");
        QCOMPARE(login.set_cookies.size(), 2);
        QCOMPARE(login.set_cookie("SRV"), QByteArray("SRV=node-2; Path=/"));
        QCOMPARE(client.cookie("SID"), QByteArray("abc"));
        client.post("/logout");
        QVERIFY(!client.cookies().contains("SID"));
        client.get("/cart");
        const QList<QByteArray> requests = server.requests();
        QVERIFY2(requests.value(1).contains("\r\nCookie: SID=abc; SRV=node-2\r\n"), requests.value(1).constData());
        QVERIFY2(requests.value(2).contains("\r\nCookie: SRV=node-2\r\n"), requests.value(2).constData());
        QVERIFY(requests.value(0).contains("\r\nContent-Length: 0\r\n")); // a POST always says its length
    }

    void failuresAreReportedNotHung() {
        // Nothing listens on a port we just closed.
        quint16 dead_port;
        {
            ScriptedServer gone({});
            dead_port = gone.port();
        }
        HttpClient refused(dead_port);
        refused.set_timeout_ms(1000);
        const HttpResponse r = refused.get("/");
        QVERIFY(!r.ok());
        QCOMPARE(r.status, 0);

        ScriptedServer silent({"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"});
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
