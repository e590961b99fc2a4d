#pragma once
// Active health checks: GET /healthz on every backend each interval, on a fresh connection
// (like HAProxy's `check`). Down after 2 failures in a row, up after 2 successes.
#include "balancer/backend.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace statelab {

class HealthChecker {
public:
    static constexpr int fall = 2;
    static constexpr int rise = 2;

    // `timeout`: how long one probe may take. Longer than a short interval on purpose: an
    // overloaded node answers slowly but is healthy; only a hung one stays silent that long.
    HealthChecker(const BackendTable& backends, std::chrono::milliseconds interval,
                  std::chrono::milliseconds timeout);
    // Starts one checking loop per backend on `ctx`; they end when the context stops.
    void start(asio::io_context& ctx);
    // Starts checking a backend added later (thread-safe); its loop ends when it is removed.
    void watch(std::size_t index);

private:
    awaitable<void> check_loop(Backend& backend);
    // Nothing when the node is healthy, else what went wrong ("timed out after 1000 ms").
    awaitable<std::optional<std::string>> probe(Backend& backend);

    const BackendTable& m_backends;
    asio::io_context* m_context = nullptr;
    std::chrono::milliseconds m_interval;
    std::chrono::milliseconds m_timeout;
};

} // namespace statelab
