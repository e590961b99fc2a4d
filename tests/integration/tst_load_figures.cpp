// Every figure the lab shows, pinned to a value known without the lab's own arithmetic: a
// server that takes a known time to answer, a known number of users that can each send at most
// one request per answer, and the servers' own counters. Two load threads, so the per-thread
// counters must be merged right for the totals to come out.
#include "lab_files.hpp"
#include "load/load_generator.hpp"

#include "support/cluster.hpp"
#include "support/http_client.hpp"
#include "support/loopback_server.hpp"
#include "support/prometheus_text.hpp"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QThread>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace statelab;
using namespace statelab::test;
using namespace std::chrono_literals;

namespace {

TrafficSettings users(int count, int think_ms) {
    TrafficSettings t;
    t.users = count;
    t.think_ms = think_ms;
    t.journey = "shop";
    return t;
}

// Runs `load` for `duration`, then stops it and returns everything it counted.
IntervalStats run(LoadGenerator& load, quint16 port, const TrafficSettings& traffic, std::chrono::milliseconds duration) {
    load.start(tcp::endpoint(asio::ip::address_v4::loopback(), port), traffic);
    QThread::msleep(static_cast<unsigned long>(duration.count())); // the load's own length, not a wait for a result
    load.stop(); // returns once every user has its last answer
    return load.take_interval();
}

// A declared journey that carries a value from its first answer into the next request's path
// and a header (one line: moc loses its way in multi-line raw strings).
const char* const token_journey = R"({"name":"t","target":{"url":"http://127.0.0.1:8080"},"duration_s":5,"traffic":{"users":1,"journey":[{"method":"POST","path":"/session","capture":{"token":{"json":"token"}}},{"path":"/notes","headers":{"Authorization":"Bearer {token}"}}]}})";

} // namespace

class TestLoadFigures : public QObject {
    Q_OBJECT

private slots:
    // A server that answers after 40 ms: latency percentiles are 40 ms and a little, not zero,
    // not the think time; 20 users without think time send at most 25 requests a second each.
    void latencyAndRequestsMatchAKnownServer() {
        ClusterOptions options;
        options.nodes = 2;
        options.policy = QStringLiteral("cookie");
        options.backend_args = {QStringLiteral("--response-delay-ms"), QStringLiteral("40")};
        Cluster cluster(options);
        QVERIFY2(cluster.start(), qPrintable(cluster.error()));
        LoadGenerator load(2);
        const IntervalStats s = run(load, cluster.port(), users(20, 0), 2000ms);

        const double p50 = s.total.latency.quantile_ms(0.50), p99 = s.total.latency.quantile_ms(0.99);
        const double most = 20 * (2000.0 / 40); // each user waits 40 ms for every answer
        const QString report = QStringLiteral("requests %1 (at most %2), p50 %3 ms, p99 %4 ms, max %5 ms, latency samples %6")
                                   .arg(s.total.requests).arg(most).arg(p50).arg(p99)
                                   .arg(s.total.latency.max_us() / 1000.0).arg(s.total.latency.count());
        qInfo().noquote() << report;
        QVERIFY2(p50 >= 40 && p50 < 60, qPrintable(report));
        QVERIFY2(p99 >= p50 && p99 < 150, qPrintable(report));
        QVERIFY2(s.total.requests <= most + 20 && s.total.requests >= 0.7 * most, qPrintable(report));
        QCOMPARE(s.total.latency.count(), s.total.requests); // every answer has its latency
        // Per node, as the clients saw them, add up to the total...
        std::uint64_t by_node = 0;
        for (const auto& n : s.by_node) by_node += n.requests;
        QCOMPARE(by_node, s.total.requests);
        // ... and equal what each node counted itself (health checks and scrapes apart).
        for (int n = 1; n <= 2; ++n) {
            const auto counted = prometheus_value(HttpClient(cluster.node(n).port()).get("/metrics").body, "statelab_requests_total");
            QCOMPARE(static_cast<std::uint64_t>(counted), s.by_node.at(static_cast<std::size_t>(n)).requests);
        }
        // Every answer was one of: a session made (login), found (hit), or not found (miss).
        QCOMPARE(s.total.created + s.total.hits + s.total.misses, s.total.requests);
        QVERIFY(s.total.created > 20 && s.total.hits > s.total.created);
    }

    // A sticky node killed: each of its users comes back to another node with a session that
    // node never saw: one 401 miss and one lost session each. The client's misses, its lost
    // count and the surviving servers' own miss counters are the same number.
    void forcedMissesAreCountedOnceEverywhere() {
        ClusterOptions options;
        options.nodes = 3;
        options.policy = QStringLiteral("cookie");
        Cluster cluster(options);
        QVERIFY2(cluster.start(), qPrintable(cluster.error()));
        LoadGenerator load(2);
        load.start(tcp::endpoint(asio::ip::address_v4::loopback(), cluster.port()), users(150, 100));
        QThread::msleep(1500); // the load's own length before the kill
        const auto held = prometheus_value(HttpClient(cluster.node(2).port()).get("/metrics").body, "statelab_sessions_active");
        cluster.node(2).kill();
        QThread::msleep(2000);
        load.stop();
        const IntervalStats s = load.take_interval();
        long long server_misses = 0;
        for (int n : {1, 3}) server_misses += prometheus_value(HttpClient(cluster.node(n).port()).get("/metrics").body, "statelab_session_misses_total");
        const QString report = QStringLiteral("node-2 held %1; client misses %2, lost %3; servers' misses %4; failures %5")
                                   .arg(held).arg(s.total.misses).arg(s.total.lost).arg(server_misses).arg(s.failures.total());
        qInfo().noquote() << report;
        QVERIFY2(held > 20, qPrintable(report));
        QVERIFY2(s.total.misses == static_cast<std::uint64_t>(server_misses), qPrintable(report));
        QVERIFY2(s.total.lost == s.total.misses, qPrintable(report));
        QVERIFY2(std::abs(static_cast<double>(s.total.lost) - held) <= 0.25 * held, qPrintable(report));
        // The losses were held by node-2: the client knew whose memory each session was in.
        QVERIFY2(s.lost_by_holder.size() > 2 && s.lost_by_holder[2] == s.total.lost, qPrintable(report));
    }

    // Requests that get no answer, by kind. A server that reads each request and resets the
    // connection: exactly one reset per request it read, and nothing else. A port where nothing
    // listens: only connect failures, as many as the users' attempts, which the back-off between
    // attempts (50-250 ms, 150 on average) makes about users x run length / 150 ms.
    void transportFailuresAreCountedByKind() {
        LoopbackServer resetting([](const ReceivedRequest&) { return Answer::reset(); });
        LoadGenerator load(2);
        const IntervalStats r = run(load, resetting.port(), users(10, 0), 1000ms);
        const auto read = static_cast<std::uint64_t>(resetting.requests().size());
        const QString resets = QStringLiteral("server read %1; client: resets %2, connect %3, timeouts %4, answered %5")
                                   .arg(read).arg(r.failures.reset).arg(r.failures.connect).arg(r.failures.timeout).arg(r.total.requests);
        qInfo().noquote() << resets;
        QVERIFY2(read >= 10, qPrintable(resets));
        QVERIFY2(r.failures.reset == read, qPrintable(resets));
        QVERIFY2(r.failures.total() == r.failures.reset && r.total.requests == 0, qPrintable(resets));

        quint16 nobody;
        {
            LoopbackServer gone([](const ReceivedRequest&) { return Answer::drop(); });
            nobody = gone.port();
        }
        LoadGenerator refused_load(2);
        const IntervalStats c = run(refused_load, nobody, users(10, 0), 1500ms);
        const double expected = 10 * 1500.0 / 150;
        const QString refused = QStringLiteral("connect failures %1 (about %2), resets %3, timeouts %4, answered %5")
                                    .arg(c.failures.connect).arg(expected).arg(c.failures.reset).arg(c.failures.timeout).arg(c.total.requests);
        qInfo().noquote() << refused;
        QVERIFY2(c.failures.connect >= 0.6 * expected && c.failures.connect <= 1.5 * expected, qPrintable(refused));
        QVERIFY2(c.failures.total() == c.failures.connect && c.total.requests == 0, qPrintable(refused));
        // Failures are no requests: they have no latency samples.
        QCOMPARE(c.total.latency.count(), std::uint64_t(0));
    }

    // A value the target hands back that no header can carry (70,000 bytes; the HTTP library
    // throws past 65,535): the step is refused, counted as a bad capture, never sent; no user
    // dies of it, and stop() returns at once instead of waiting out users that never ended.
    void aCapturedValueTooLongForAHeaderIsRefused() {
        const std::string session = "{\"token\":\"" + std::string(70'000, 't') + "\"}";
        LoopbackServer server([&](const ReceivedRequest& r) {
            const std::string body = r.request_line == "POST /session" ? session : std::string("{}");
            return Answer::reply("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
        });
        const ScenarioResult parsed = parse_scenario(token_journey, "t.json");
        QVERIFY2(parsed.ok(), parsed.error.c_str());
        TrafficSettings traffic = users(5, 10);
        traffic.declared = parsed.scenario->traffic.declared;
        LoadGenerator load(2);
        load.start(tcp::endpoint(asio::ip::address_v4::loopback(), server.port()), traffic);
        QThread::msleep(1000); // the load's own length
        QElapsedTimer stopping;
        stopping.start();
        load.stop();
        const IntervalStats r = load.take_interval();
        const QString report = QStringLiteral("stop took %1 ms; bad captures %2, answered %3, /notes sent %4, users left %5")
                                   .arg(stopping.elapsed()).arg(r.failures.bad_capture).arg(r.total.requests)
                                   .arg(server.seen("GET /notes")).arg(load.active_users());
        qInfo().noquote() << report;
        QVERIFY2(stopping.elapsed() < 2000, qPrintable(report));
        QCOMPARE(load.active_users(), 0);
        QVERIFY2(r.failures.bad_capture >= 5, qPrintable(report)); // each user, again after each new session
        QCOMPARE(server.seen("GET /notes"), 0);
    }

    // Latency ends when the answer is in, before the client judges it (as wrk reads its clock
    // before its response script): a declared step that captures from a large JSON answer pays
    // the parse after the clock, not in the latency. The server answers at once; parsing its
    // body takes the test itself several milliseconds, the latency must stay well under that.
    void latencyEndsBeforeTheAnswerIsJudged() {
        std::string items;
        for (int i = 0; items.size() < 900'000; ++i) items += (i ? "," : "") + std::to_string(i * 7919);
        const std::string session = "{\"token\":\"t\",\"items\":[" + items + "]}";
        QElapsedTimer parsing;
        parsing.start();
        for (int i = 0; i < 5; ++i) (void)nlohmann::json::parse(session);
        const double parse_ms = parsing.nsecsElapsed() / 5e6;
        LoopbackServer server([&](const ReceivedRequest& r) {
            const std::string body = r.request_line == "POST /session" ? session : std::string("{}");
            return Answer::reply("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
        });
        const ScenarioResult parsed = parse_scenario(token_journey, "t.json");
        QVERIFY2(parsed.ok(), parsed.error.c_str());
        TrafficSettings traffic = users(1, 0);
        traffic.declared = parsed.scenario->traffic.declared;
        LoadGenerator load(1);
        const IntervalStats r = run(load, server.port(), traffic, 1500ms);
        // Half the answers are the large ones (the notes step answers "{}"): the 75th percentile
        // is about their median.
        const double p75 = r.total.latency.quantile_ms(0.75);
        const QString report = QStringLiteral("%1 answers, p75 %2 ms; parsing the session's answer takes %3 ms")
                                   .arg(r.total.requests).arg(p75).arg(parse_ms, 0, 'f', 1);
        qInfo().noquote() << report;
        QVERIFY2(parse_ms >= 2, qPrintable(report + ": too quick to tell the two apart on this machine"));
        QVERIFY2(r.total.requests >= 10 && p75 < 0.5 * parse_ms, qPrintable(report));
    }

    // Answers that refuse: every answer of a server that says 503 is one 5xx failure, of one that
    // says 404 one 4xx failure; each is still an answered request with its latency.
    void httpFailuresAreCountedByKind_data() {
        QTest::addColumn<int>("status");
        QTest::newRow("503") << 503;
        QTest::newRow("404") << 404;
        QTest::newRow("413") << 413; // too large: a kind of its own
    }
    void httpFailuresAreCountedByKind() {
        QFETCH(int, status);
        const std::string reply = "HTTP/1.1 " + std::to_string(status) + " Refused\r\nX-Served-By: node-1\r\nContent-Length: 0\r\n\r\n";
        LoopbackServer refusing([&](const ReceivedRequest&) { return Answer::reply(reply); });
        LoadGenerator load(2);
        const IntervalStats s = run(load, refusing.port(), users(10, 20), 1000ms);
        const auto answered = static_cast<std::uint64_t>(refusing.requests().size());
        const QString report = QStringLiteral("server answered %1; client: requests %2, 5xx %3, 4xx %4, 413 %5, other failures %6")
                                   .arg(answered).arg(s.total.requests).arg(s.failures.http_5xx).arg(s.failures.http_4xx)
                                   .arg(s.failures.too_large).arg(s.failures.connect + s.failures.reset + s.failures.timeout);
        qInfo().noquote() << report;
        QVERIFY2(answered >= 10 && s.total.requests == answered, qPrintable(report));
        QVERIFY2((status >= 500 ? s.failures.http_5xx : status == 413 ? s.failures.too_large : s.failures.http_4xx) == answered,
                 qPrintable(report));
        QVERIFY2(s.failures.total() == answered, qPrintable(report));
        QCOMPARE(s.total.latency.count(), answered);
        QCOMPARE(s.by_node.at(1).errors, answered); // X-Served-By names whom to blame
    }
};

QTEST_GUILESS_MAIN(TestLoadFigures)
#include "tst_load_figures.moc"
