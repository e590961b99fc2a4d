#pragma once
// What the engine benchmarks share: the open-file limit raised, an engine that keeps every
// snapshot it publishes, launched on a 4-node shared-store cluster, and the sums of the snapshots
// between two run-clock readings.
#include "engine.hpp"
#include "model/snapshot.hpp"

#include <QTemporaryDir>

#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <mutex>
#include <vector>

namespace statelab::bench {

// Thousands of users are thousands of sockets here and in the balancer (which inherits the limit).
inline void raise_file_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// CPU time the whole machine has used so far, in seconds (/proc/stat: every state but idle and
// iowait). Divided by the wall time between two readings: the cores busy meanwhile.
inline double machine_busy_seconds() {
    std::ifstream stat("/proc/stat");
    std::string cpu;
    stat >> cpu; // "cpu"
    double busy = 0;
    long long value = 0;
    for (int field = 0; field < 8 && stat >> value; ++field)
        if (field != 3 && field != 4) busy += static_cast<double>(value); // idle, iowait
    return busy / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct MeasuredWindow {
    std::uint64_t requests = 0;
    FailureCounts failures;
    double seconds = 0;
};

// An engine of its own run directory on a launched 4-node shared-store cluster, keeping its snapshots.
struct RecordedEngine {
    QTemporaryDir dir;
    Engine engine;
    std::mutex mutex;
    std::vector<Snapshot> snapshots;

    RecordedEngine() : engine(config(dir)) {
        engine.set_snapshot_handler([this](const Snapshot& s) {
            std::lock_guard lock(mutex);
            snapshots.push_back(s);
        });
        ClusterSettings cluster;
        cluster.mode = Mode::shared_store;
        cluster.nodes = 4;
        engine.launch(cluster);
    }
    // The snapshots that end after `from_s` and by `to_s`.
    MeasuredWindow measure(double from_s, double to_s) {
        std::lock_guard lock(mutex);
        MeasuredWindow out;
        for (const auto& s : snapshots) {
            if (s.t_s <= from_s || s.t_s > to_s) continue;
            out.requests += s.total.requests;
            out.failures += s.failures;
            out.seconds += s.interval_s;
        }
        return out;
    }

private:
    static EngineConfig config(const QTemporaryDir& dir) {
        EngineConfig c;
        c.bin_dir = STATELAB_BIN_DIR;
        c.run_dir = dir.path().toStdString();
        return c;
    }
};

} // namespace statelab::bench
