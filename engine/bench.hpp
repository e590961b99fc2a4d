#pragma once
// `statelab-cli bench`: raw GET load on one URL, wrk-style (per-thread loops and counters),
// keep-alive or a connection per request, to compare the engine's HTTP speed with wrk's. Part of the engine's facade
// (engine.hpp); defined in load/raw_bench.cpp.
#include "model/latency_histogram.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace statelab {

struct BenchConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 80;
    std::string path = "/";
    int connections = 50;
    unsigned threads = 0; // 0: one per core
    std::chrono::milliseconds duration{5000};
    // Each request says `Connection: close` and gets a new connection (wrk -H "Connection:
    // close"): the cost of users that do not keep their connections.
    bool close_each = false;
};

struct BenchResult {
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;   // transport failures
    std::uint64_t timeouts = 0; // requests still unanswered when the run's bound (end + 2 s) came
    std::uint64_t non_2xx = 0;
    double seconds = 0;
    LatencyHistogram latency;
    double requests_per_s() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
};

BenchResult run_bench(const BenchConfig& config);

} // namespace statelab
