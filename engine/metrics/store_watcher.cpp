#include "metrics/store_watcher.hpp"

#include "cluster/probes.hpp"

namespace statelab {

StoreWatcher::StoreWatcher(std::vector<std::uint16_t> sentinels, std::string password, std::string master,
                           std::chrono::milliseconds every)
    : m_sentinels(std::move(sentinels)), m_password(std::move(password)), m_master(std::move(master)),
      m_thread(every, [this] { ask(); }) {}

void StoreWatcher::ask() {
    // The first sentinel that answers: a dead or paused one (a lesson may kill one) is skipped.
    for (std::uint16_t sentinel : m_sentinels) {
        if (auto port = sentinel_primary_port(sentinel, m_password, m_master, std::chrono::milliseconds(300))) {
            std::lock_guard lock(m_mutex);
            m_primary = port;
            return;
        }
    }
}

std::optional<std::uint16_t> StoreWatcher::primary_port() const {
    std::lock_guard lock(m_mutex);
    return m_primary;
}

} // namespace statelab
