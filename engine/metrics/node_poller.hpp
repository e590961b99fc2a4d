#pragma once
// Reads each app server's own /metrics once a second (asynchronously, with a short timeout so
// a paused node cannot stall the snapshots). The snapshot shows the latest values.
#include "common/http_types.hpp"
#include "metrics/server_report.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace statelab {

class NodePoller {
public:
    explicit NodePoller(asio::any_io_executor executor, std::chrono::milliseconds timeout = std::chrono::milliseconds(400));

    // Starts one poll of each (name, port); results land in latest() when they arrive.
    void poll(const std::vector<std::pair<std::string, std::uint16_t>>& nodes);
    std::map<std::string, ServerReport> latest() const;
    // Drops what `name` last said: a dead process's numbers must not come back as the
    // restarted one's before it has been polled.
    void forget(const std::string& name);
    // Polls once and waits for the answers (for the end of a run).
    static std::map<std::string, ServerReport> poll_now(const std::vector<std::pair<std::string, std::uint16_t>>& nodes);

private:
    awaitable<void> poll_one(std::string name, std::uint16_t port);

    asio::any_io_executor m_executor;
    std::chrono::milliseconds m_timeout;
    mutable std::mutex m_mutex;
    std::map<std::string, ServerReport> m_latest;
    // The last report of each node and when it came: rates from counters (copies per second).
    std::map<std::string, std::pair<ServerReport, std::chrono::steady_clock::time_point>> m_latest_at;
};

} // namespace statelab
