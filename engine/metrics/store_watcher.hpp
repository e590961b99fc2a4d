#pragma once
// shared-store-ha: which Redis takes writes now, asked of the sentinels twice a second on a
// thread of its own (a blocking question, bounded by 300 ms per sentinel: never on the
// engine's threads, so a paused sentinel cannot hold up the snapshots).
#include "metrics/periodic_thread.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace statelab {

class StoreWatcher {
public:
    StoreWatcher(std::vector<std::uint16_t> sentinels, std::string password, std::string master,
                 std::chrono::milliseconds every = std::chrono::milliseconds(500));
    StoreWatcher(const StoreWatcher&) = delete;
    StoreWatcher& operator=(const StoreWatcher&) = delete;

    // The primary's port by the latest answer of any sentinel; nothing before the first one.
    std::optional<std::uint16_t> primary_port() const;

private:
    void ask();

    std::vector<std::uint16_t> m_sentinels;
    std::string m_password, m_master;
    mutable std::mutex m_mutex;
    std::optional<std::uint16_t> m_primary;
    PeriodicThread m_thread; // last: stopped (joined) before the members it reads go
};

} // namespace statelab
