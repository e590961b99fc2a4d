// When a backend connection fails after the request was written, the backend may have applied
// it (a node killed mid-request). statelab-balancer (a real process) must not send such a
// request again unless that is harmless: an idempotent method, or an Idempotency-Key. The
// backend here is a small server in the test that answers the first request on a connection
// (so the balancer keeps the connection) and then drops, unanswered, any later request whose
// target says `drop`: exactly a node that dies after reading a request.
#include "support/child_process.hpp"
#include "support/http_client.hpp"

#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace statelab::test;

namespace {

class DroppingBackend {
public:
    DroppingBackend() {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(m_listener, 16);
        socklen_t len = sizeof addr;
        ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_acceptor = std::thread([this] { accept_loop(); });
    }
    ~DroppingBackend() {
        m_stopping = true;
        ::shutdown(m_listener, SHUT_RDWR);
        ::close(m_listener);
        m_acceptor.join();
        for (auto& t : m_connections) t.join();
    }
    quint16 port() const { return m_port; }
    // How many times a request line (method and target) reached this backend.
    int seen(const std::string& request_line) const {
        std::lock_guard lock(m_mutex);
        auto it = m_seen.find(request_line);
        return it == m_seen.end() ? 0 : it->second;
    }

private:
    void accept_loop() {
        while (!m_stopping) {
            const int fd = ::accept(m_listener, nullptr, nullptr);
            if (fd < 0) return;
            m_connections.emplace_back([this, fd] { serve(fd); });
        }
    }
    void serve(int fd) {
        timeval timeout{5, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        std::string buffer;
        int served = 0;
        char chunk[4096];
        while (!m_stopping) {
            const auto end = buffer.find("\r\n\r\n");
            if (end == std::string::npos) {
                const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
                if (n <= 0) break;
                buffer.append(chunk, static_cast<std::size_t>(n));
                continue;
            }
            const std::string head = buffer.substr(0, end);
            buffer.erase(0, end + 4); // the requests here have no body
            const std::string line = head.substr(0, head.find("\r\n"));
            const std::string request_line = line.substr(0, line.rfind(' '));
            const bool health = request_line.find("/healthz") != std::string::npos;
            if (!health) {
                std::lock_guard lock(m_mutex);
                ++m_seen[request_line];
            }
            if (!health && served > 0 && request_line.find("drop") != std::string::npos) break; // read, never answered
            const std::string body = "ok\n";
            const std::string response = "HTTP/1.1 200 OK\r\nX-Served-By: node-1\r\nContent-Length: " +
                                         std::to_string(body.size()) + "\r\n\r\n" + body;
            ::send(fd, response.data(), response.size(), MSG_NOSIGNAL);
            ++served;
        }
        ::close(fd);
    }

    int m_listener = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::thread m_acceptor;
    std::vector<std::thread> m_connections;
    mutable std::mutex m_mutex;
    std::map<std::string, int> m_seen;
};

} // namespace

class TestBalancerReplay : public QObject {
    Q_OBJECT

    std::unique_ptr<DroppingBackend> m_backend;
    std::unique_ptr<ChildProcess> m_balancer;

    // A pooled connection to the backend first (its first request is answered and kept alive),
    // then `method target` on it.
    HttpResponse sendOnPooledConnection(const QByteArray& method, const QByteArray& target, const HttpHeaders& headers = {}) {
        HttpClient client(m_balancer->port());
        const HttpResponse warm = client.get("/warm-" + QByteArray::number(++m_warmups));
        if (warm.status != 200) return warm;
        return client.request(method, target, headers);
    }
    int m_warmups = 0;

private slots:
    void init() {
        m_backend = std::make_unique<DroppingBackend>();
        m_balancer = std::make_unique<ChildProcess>(
            QStringLiteral("balancer"), statelab_program(QStringLiteral("statelab-balancer")),
            QStringList{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--policy"), QStringLiteral("round-robin"),
                        QStringLiteral("--backend"), QStringLiteral("node-1=127.0.0.1:%1").arg(m_backend->port())});
        QVERIFY2(m_balancer->start(), qPrintable(m_balancer->error()));
    }
    void cleanup() {
        m_balancer.reset();
        m_backend.reset();
    }

    // POST /login read by a node that then died: one session at most, and the client hears 502.
    void aPostTheBackendMayHaveAppliedIsNotSentAgain() {
        const HttpResponse r = sendOnPooledConnection("POST", "/login?user=a&drop=1");
        QCOMPARE(r.status, 502);
        QCOMPARE(m_backend->seen("POST /login?user=a&drop=1"), 1);
    }

    void anIdempotentGetIsRetriedOnAFreshConnection() {
        const HttpResponse r = sendOnPooledConnection("GET", "/cart?drop=1");
        QCOMPARE(r.status, 200);
        QCOMPARE(m_backend->seen("GET /cart?drop=1"), 2);
    }

    void aPostWithAnIdempotencyKeyIsRetried() {
        const HttpResponse r = sendOnPooledConnection("POST", "/cart/items?item=x&drop=1", {{"Idempotency-Key", "k-1"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(m_backend->seen("POST /cart/items?item=x&drop=1"), 2);
    }
};

QTEST_GUILESS_MAIN(TestBalancerReplay)
#include "tst_balancer_replay.moc"
