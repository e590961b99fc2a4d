// Benchmark (label bench): 10,000 closed-loop virtual users against a 4-node shared-store
// cluster for about 15 s. Reports what a user of the lab cares about at scale: the engine's
// memory per virtual user (goal < 4 KB) and the request rate it achieved against the rate the
// users intend (users / (think + latency)). Figures are printed, not asserted: on a small
// machine the cluster and the engine share the same cores.
#include "engine.hpp"
#include "engine_bench.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <mutex>

using namespace statelab;

namespace {

constexpr int users = 10'000;
constexpr int think_ms = 1000;
constexpr int run_s = 15;

long resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    long size = 0, resident = 0;
    statm >> size >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}


} // namespace

class TestEngineScale : public QObject {
    Q_OBJECT

private slots:
    void tenThousandUsers() {
        bench::raise_file_limit();
        rlimit files{};
        getrlimit(RLIMIT_NOFILE, &files);
        qInfo("open file limit: %llu", static_cast<unsigned long long>(files.rlim_cur));

        bench::RecordedEngine recorded;
        Engine& engine = recorded.engine;

        QTest::qWait(500);
        const long rss_before = resident_bytes();
        TrafficSettings traffic;
        traffic.users = users;
        traffic.think_ms = think_ms;
        traffic.journey = "shop";
        engine.start_traffic(traffic);
        const double traffic_started = engine.elapsed_s();

        // Users start spread over the first think time; measure once they all run.
        QTRY_VERIFY_WITH_TIMEOUT(engine.active_users() == users, 10000);
        QTest::qWait(3000);
        const long rss_running = resident_bytes();
        const double measure_from = engine.elapsed_s();
        // The rest of the run, but a measured window of 5 s at least.
        QTest::qWait(std::max(5000, static_cast<int>((run_s - (measure_from - traffic_started)) * 1000)));
        const double measure_to = engine.elapsed_s();
        const long rss_end = resident_bytes();
        engine.stop_traffic();

        const bench::MeasuredWindow window = recorded.measure(measure_from, measure_to);
        const std::uint64_t requests = window.requests;
        const FailureCounts failures = window.failures;
        const double seconds = window.seconds;
        QVERIFY2(seconds > 5, "too few snapshots in the measured window");
        const RunTotals totals = engine.totals();
        const double p50_s = totals.latency.quantile_ms(0.50) / 1000;
        const double achieved = static_cast<double>(requests) / seconds;
        const double intended = users / (think_ms / 1000.0 + p50_s);
        const double per_user = static_cast<double>(rss_running - rss_before) / users;

        qInfo("users: %d, think %d ms, 4-node shared-store cluster, %u cores", users, think_ms,
              std::thread::hardware_concurrency());
        qInfo("engine RSS: before traffic %.1f MB, users running %.1f MB, end %.1f MB", rss_before / 1e6,
              rss_running / 1e6, rss_end / 1e6);
        qInfo("engine RSS per user: %.0f bytes (goal < 3584: 3.5 KB)", per_user);
        qInfo("request rate: achieved %.0f/s, intended %.0f/s (users / (think %.3f s + p50 %.4f s)), ratio %.2f",
              achieved, intended, think_ms / 1000.0, p50_s, achieved / intended);
        qInfo("nominal rate users / think: %.0f/s; achieved / nominal %.2f", users / (think_ms / 1000.0),
              achieved / (users / (think_ms / 1000.0)));
        qInfo("latency ms: p50 %.2f  p99 %.2f  max %.2f; lost %llu", totals.latency.quantile_ms(0.5),
              totals.latency.quantile_ms(0.99), static_cast<double>(totals.latency.max_us()) / 1000,
              static_cast<unsigned long long>(totals.lost));
        auto n = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
        qInfo("failures in the window: %llu (connect %llu, reset %llu, timeout %llu, 5xx %llu, 4xx %llu)",
              n(failures.total()), n(failures.connect), n(failures.reset), n(failures.timeout), n(failures.http_5xx),
              n(failures.http_4xx));
        QVERIFY(requests > 0);
        QVERIFY2(per_user < 3584, qPrintable(QStringLiteral("engine RSS per user %1 bytes: the goal (< 3584, 3.5 KB) is missed").arg(per_user)));
    }
};

QTEST_GUILESS_MAIN(TestEngineScale)
#include "tst_engine_scale.moc"
