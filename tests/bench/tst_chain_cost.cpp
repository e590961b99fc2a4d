// Benchmark (label bench), issue 27: what a request costs the whole chain (engine, balancer,
// four nodes, Redis) on a new connection against keep-alive. The same 200 users thinking 2 ms
// (+-50%) on a 4-node shared-store cluster, for 6 s each way: keeping their connections, then
// closing each before its think (every request a new connection, as users past the servers'
// keep-alive do). Printed for both: requests/s and the machine's CPU per request (all processes:
// on a quiet machine, the chain), and the ratio new / keep-alive of the CPU per request (goal
// <= 2.0; STATELAB_CHAIN_GOAL overrides).
#include "engine.hpp"
#include "engine_bench.hpp"

#include <QtTest>

#include <thread>

using namespace statelab;

namespace {

struct Way {
    double requests_per_s = 0;
    double cpu_us_per_request = 0;
    std::uint64_t failures = 0;
};

Way measure(bench::RecordedEngine& recorded, int idle_close_ms) {
    Engine& engine = recorded.engine;
    TrafficSettings traffic;
    traffic.users = 200;
    traffic.think_ms = 2;
    traffic.journey = "shop";
    traffic.idle_close_ms = idle_close_ms;
    engine.start_traffic(traffic);
    const double started = engine.elapsed_s();
    QTest::qWait(2000); // every user in, connections made
    const double from = engine.elapsed_s();
    const double busy_before = bench::machine_busy_seconds();
    QTest::qWait(4000);
    const double busy_after = bench::machine_busy_seconds();
    const double to = engine.elapsed_s();
    engine.stop_traffic();
    QTest::qWait(500); // the last snapshot of the window is in
    const bench::MeasuredWindow window = recorded.measure(from, to);
    Way way;
    way.requests_per_s = window.seconds > 0 ? static_cast<double>(window.requests) / window.seconds : 0;
    const double requests_in_wall = way.requests_per_s * (to - from);
    way.cpu_us_per_request = requests_in_wall > 0 ? (busy_after - busy_before) * 1e6 / requests_in_wall : 0;
    way.failures = window.failures.total();
    (void)started;
    return way;
}

} // namespace

class TestChainCost : public QObject {
    Q_OBJECT
private slots:
    void newConnectionCostsAtMostTwiceKeepAlive() {
        bench::raise_file_limit();
        bench::RecordedEngine recorded;
        const Way keep = measure(recorded, 0); // never close
        const Way fresh = measure(recorded, 1); // close before every think (1-3 ms)
        const double cores = std::max(1u, std::thread::hardware_concurrency());
        qInfo("keep-alive:            %7.0f requests/s, %6.1f us of CPU a request (machine, %.0f cores), %llu failed",
              keep.requests_per_s, keep.cpu_us_per_request, cores, static_cast<unsigned long long>(keep.failures));
        qInfo("a connection each:     %7.0f requests/s, %6.1f us of CPU a request, %llu failed", fresh.requests_per_s,
              fresh.cpu_us_per_request, static_cast<unsigned long long>(fresh.failures));
        const double goal = std::getenv("STATELAB_CHAIN_GOAL") ? std::atof(std::getenv("STATELAB_CHAIN_GOAL")) : 2.0;
        const double ratio = fresh.cpu_us_per_request / keep.cpu_us_per_request;
        qInfo("new connection / keep-alive, CPU a request: %.2f (goal <= %.1f); requests/s keep-alive / new: %.2f",
              ratio, goal, keep.requests_per_s / fresh.requests_per_s);
        QVERIFY(keep.requests_per_s > 0 && fresh.requests_per_s > 0);
        QVERIFY2(ratio <= goal, "a request on a new connection costs the chain more than the goal");
    }
};

QTEST_GUILESS_MAIN(TestChainCost)
#include "tst_chain_cost.moc"
