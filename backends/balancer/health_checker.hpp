#pragma once
// Active health checks: GET /healthz on every backend each interval, on a fresh connection
// (like HAProxy's `check`). Down after 2 failures in a row, up after 2 successes.
//
// The checks run on a thread and an io_context of their own, not on a proxying loop: with
// 10,000 users and a laptop busy with other work, a probe's connect, write and read each waited
// their turn behind thousands of proxied requests, the probe's 1 s ran out in the balancer's own
// queue, and every node was taken out in the same instant ("connect timed out after 1000 ms")
// although none was late. A thread that sleeps between probes is woken at once by the kernel.
#include "balancer/backend.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <thread>

namespace statelab {

class HealthChecker {
public:
    static constexpr int fall = 2;
    static constexpr int rise = 2;

    // `timeout`: how long one probe may take. Longer than a short interval on purpose: an
    // overloaded node answers slowly but is healthy; only a hung one stays silent that long.
    HealthChecker(const BackendTable& backends, std::chrono::milliseconds interval,
                  std::chrono::milliseconds timeout);
    ~HealthChecker();
    HealthChecker(const HealthChecker&) = delete;
    HealthChecker& operator=(const HealthChecker&) = delete;

    // Starts one checking loop per backend on the checks' own thread.
    void start();
    // Ends the loops and joins the thread (also on destruction).
    void stop();
    // Starts checking a backend added later (thread-safe); its loop ends when it is removed.
    void watch(std::size_t index);

private:
    awaitable<void> check_loop(Backend& backend);
    // Nothing when the node is healthy, else what went wrong ("timed out after 1000 ms").
    awaitable<std::optional<std::string>> probe(Backend& backend);

    const BackendTable& m_backends;
    asio::io_context m_context{1};
    std::thread m_thread;
    std::chrono::milliseconds m_interval;
    std::chrono::milliseconds m_timeout;
};

} // namespace statelab
