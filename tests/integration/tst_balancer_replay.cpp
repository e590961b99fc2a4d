// When a backend connection fails after the request was written, the backend may have applied
// it (a node killed mid-request). statelab-balancer (a real process) must not send such a
// request again unless that is harmless: an idempotent method, or an Idempotency-Key. The
// backend here is a small server in the test that answers the first request on a connection
// (so the balancer keeps the connection) and then drops, unanswered, any later request whose
// target says `drop`: exactly a node that dies after reading a request.
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/loopback_server.hpp"

#include <QtTest>

#include <memory>

using namespace statelab::test;

namespace {

// Answers the first request on a connection (so the balancer keeps the connection) and drops,
// unanswered, any later request whose target says `drop`.
Answer dropLaterDrops(const ReceivedRequest& request) {
    const bool drop = request.on_connection > 0 && request.request_line.find("drop") != std::string::npos &&
                      request.request_line.find("/healthz") == std::string::npos;
    return drop ? Answer::drop() : Answer::ok();
}

} // namespace

class TestBalancerReplay : public QObject {
    Q_OBJECT

    std::unique_ptr<LoopbackServer> m_backend;
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
        m_backend = std::make_unique<LoopbackServer>(dropLaterDrops);
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
