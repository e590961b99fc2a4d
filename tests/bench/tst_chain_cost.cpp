// Benchmark (label bench), issue 27: what a request costs the whole chain (engine, balancer,
// four nodes, Redis) on a new connection against keep-alive. The same 200 users thinking 2 ms
// (+-50%) on a 4-node shared-store cluster, for 6 s each way: keeping their connections, then
// closing each before its think (every request a new connection, as users past the servers'
// keep-alive do). Printed for both: requests/s, the machine's CPU per request (all processes:
// on a quiet machine, the chain) and each process's (the engine, the balancer, the nodes, Redis),
// and the ratio new / keep-alive of the machine's CPU per request (goal <= 2.0;
// STATELAB_CHAIN_GOAL overrides).
#include "engine.hpp"
#include "engine_bench.hpp"

#include <QtTest>

#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <unistd.h>

using namespace statelab;

namespace {

// CPU seconds (user + system) process `pid` has used so far; 0 when it is gone.
double process_cpu_seconds(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return 0;
    std::istringstream fields(line.substr(line.rfind(')') + 2)); // past "pid (comm) "
    std::string field;
    double ticks = 0;
    for (int i = 3; fields >> field && i <= 15; ++i)
        if (i == 14 || i == 15) ticks += std::stod(field); // utime, stime
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The chain's processes by role ("engine", "balancer", "nodes", "redis") and their CPU so far.
std::map<std::string, double> cpu_by_role(const std::vector<NodeStatus>& processes) {
    std::map<std::string, double> out;
    out["engine"] = process_cpu_seconds(getpid());
    for (const NodeStatus& p : processes) {
        const std::string role = p.name.starts_with("node-") ? "nodes" : p.name;
        if (p.pid > 0) out[role] += process_cpu_seconds(p.pid);
    }
    return out;
}

struct Way {
    double requests_per_s = 0;
    double cpu_us_per_request = 0;
    std::map<std::string, double> role_us_per_request;
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
    std::vector<NodeStatus> processes;
    {
        std::lock_guard lock(recorded.mutex);
        processes = recorded.snapshots.back().processes;
    }
    const auto roles_before = cpu_by_role(processes);
    const double busy_before = bench::machine_busy_seconds();
    QTest::qWait(4000);
    const double busy_after = bench::machine_busy_seconds();
    const auto roles_after = cpu_by_role(processes);
    const double to = engine.elapsed_s();
    engine.stop_traffic();
    QTest::qWait(500); // the last snapshot of the window is in
    const bench::MeasuredWindow window = recorded.measure(from, to);
    Way way;
    way.requests_per_s = window.seconds > 0 ? static_cast<double>(window.requests) / window.seconds : 0;
    const double requests_in_wall = way.requests_per_s * (to - from);
    way.cpu_us_per_request = requests_in_wall > 0 ? (busy_after - busy_before) * 1e6 / requests_in_wall : 0;
    way.failures = window.failures.total();
    for (const auto& [role, seconds] : roles_after)
        if (requests_in_wall > 0) way.role_us_per_request[role] = (seconds - roles_before.at(role)) * 1e6 / requests_in_wall;
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
        QString roles;
        for (const auto& [role, us] : keep.role_us_per_request)
            roles += QString("%1 %2 -> %3, ").arg(QString::fromStdString(role)).arg(us, 0, 'f', 1)
                         .arg(fresh.role_us_per_request.at(role), 0, 'f', 1);
        qInfo("CPU a request by process, keep-alive -> a connection each (us): %s", qPrintable(roles.chopped(2)));
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
