// What the lab reads from a balancer's own view: HAProxy's `show stat` (servers' state, the
// requests it sent elsewhere) becomes events, one a spell, at the time of the read before.
#include "metrics/balancer_watch.hpp"

#include <QtTest>

#include <atomic>

using namespace statelab;
using namespace std::chrono_literals;

namespace {

// The columns of HAProxy 2.6's `show stat` the watch reads, in its order, for the backend
// "nodes" with three servers; `wredis` is node-2's count of requests sent to another server.
std::string show_stat(long node2_redispatched, std::string node2_status = "UP", std::string node2_check = "L7OK") {
    std::string csv = "# pxname,svname,scur,slim,wretr,wredis,status,lastchg,check_status,check_desc,check_duration\n"
                      "statelab,FRONTEND,120,20000,,,OPEN,,,,\n";
    for (int n = 1; n <= 3; ++n)
        csv += "nodes,node-" + std::to_string(n) + ",40,,0," + std::to_string(n == 2 ? node2_redispatched : 0) + "," +
               (n == 2 ? node2_status : "UP") + ",12," + (n == 2 ? node2_check : "L7OK") + ",Layer7 check passed,1\n";
    csv += "nodes,BACKEND,120,2000,0," + std::to_string(node2_redispatched) + ",UP,12,,,\n";
    return csv;
}

} // namespace

class TestBalancerWatch : public QObject {
    Q_OBJECT
private slots:
    void haproxysRedispatchesAreRead() {
        const auto view = parse_haproxy_stat(show_stat(17));
        QVERIFY(view);
        QCOMPARE(view->backends.size(), std::size_t(3));
        QCOMPARE(view->backends[1].name, std::string("node-2"));
        QCOMPARE(view->backends[1].redispatched, 17L);
        QCOMPARE(view->backends[0].redispatched, 0L);
        QVERIFY(view->backends[1].up);
    }

    // statelab-balancer says the same in its status: a connect that timed out sends the request
    // to another backend without taking the busy node out (its checks decide).
    void theBuiltinBalancersRedispatchesAreRead() {
        const auto view = parse_builtin_status(
            "{\"policy\":\"cookie\",\"backends\":[{\"name\":\"node-1\",\"state\":\"up\",\"redispatched\":0},"
            "{\"name\":\"node-2\",\"state\":\"up\",\"redispatched\":12}],\"accept_failures\":0}");
        QVERIFY(view);
        QCOMPARE(view->backends.size(), std::size_t(2));
        QCOMPARE(view->backends[1].redispatched, 12L);
        QVERIFY(view->backends[1].up);
    }

    // Requests for node-2 sent elsewhere, more at every read: one "redispatch" event for the
    // spell (a user-visible line, not one a look), none for the servers whose count stood still.
    void aSpellOfRedispatchesIsOneEvent() {
        std::atomic<long> redispatched{0};
        BalancerWatch watch([&] { return parse_haproxy_stat(show_stat(redispatched.load())); }, "haproxy", 10ms);
        QTRY_VERIFY(watch.latest().has_value());
        QTest::qWait(50);
        QVERIFY(watch.take_changes().empty());
        for (int i = 1; i <= 10; ++i) {
            redispatched += 7;
            QTest::qWait(25);
        }
        const auto changes = watch.take_changes();
        QCOMPARE(changes.size(), std::size_t(1));
        QVERIFY(changes[0].kind == EventKind::balancer_moved);
        QCOMPARE(changes[0].target, std::string("node-2"));
        QVERIFY2(QString::fromStdString(changes[0].detail).contains("redispatch"), changes[0].detail.c_str());
    }

    // HAProxy took node-2 out, and by the watch's read one check had passed again ("DOWN 1/2"):
    // the DOWN does not give "Layer7 check passed" as its reason.
    void aDownReadAfterAPassingCheckSaysTheChecksFailed() {
        std::atomic<bool> down{false};
        BalancerWatch watch([&] { return parse_haproxy_stat(down ? show_stat(0, "DOWN 1/2", "L7OK") : show_stat(0)); },
                            "haproxy", 10ms);
        QTRY_VERIFY(watch.latest().has_value());
        down = true;
        std::vector<BalancerChange> changes;
        for (QDeadlineTimer deadline(3000); changes.empty() && !deadline.hasExpired(); QTest::qWait(10))
            changes = watch.take_changes();
        QCOMPARE(changes.size(), std::size_t(1));
        QVERIFY(changes[0].kind == EventKind::balancer_down);
        QVERIFY2(changes[0].detail.find("checks failed") != std::string::npos, changes[0].detail.c_str());
        QVERIFY2(changes[0].detail.find("Layer7 check passed") == std::string::npos, changes[0].detail.c_str());
    }
};

QTEST_GUILESS_MAIN(TestBalancerWatch)
#include "tst_balancer_watch.moc"
