#pragma once
// shared-store-ha: which Redis takes writes now, asked of the sentinels twice a second on a
// thread of its own (a blocking question, bounded by 300 ms per sentinel: never on the
// engine's threads, so a paused sentinel cannot hold up the snapshots).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace statelab {

class StoreWatcher {
public:
    StoreWatcher(std::vector<std::uint16_t> sentinels, std::string password, std::string master,
                 std::chrono::milliseconds every = std::chrono::milliseconds(500));
    ~StoreWatcher();
    StoreWatcher(const StoreWatcher&) = delete;
    StoreWatcher& operator=(const StoreWatcher&) = delete;

    // The primary's port by the latest answer of any sentinel; nothing before the first one.
    std::optional<std::uint16_t> primary_port() const;

private:
    void ask();

    std::vector<std::uint16_t> m_sentinels;
    std::string m_password, m_master;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::optional<std::uint16_t> m_primary;
    std::thread m_thread;
};

} // namespace statelab
