#pragma once
// What the engine benchmarks measure between two run-clock readings: the snapshots' requests and
// failures, and the seconds they cover.
#include "model/snapshot.hpp"

#include <cstdint>
#include <vector>

namespace statelab::bench {

struct MeasuredWindow {
    std::uint64_t requests = 0;
    FailureCounts failures;
    double seconds = 0;
};

// The snapshots that end after `from_s` and by `to_s`.
inline MeasuredWindow measure_window(const std::vector<Snapshot>& snapshots, double from_s, double to_s) {
    MeasuredWindow out;
    for (const auto& s : snapshots) {
        if (s.t_s <= from_s || s.t_s > to_s) continue;
        out.requests += s.total.requests;
        out.failures += s.failures;
        out.seconds += s.interval_s;
    }
    return out;
}

} // namespace statelab::bench
