#include "balancer/backend.hpp"

namespace statelab {

std::optional<std::size_t> BackendTable::find(const std::string& name) const {
    const std::size_t n = size();
    for (std::size_t i = 0; i < n; ++i)
        if (!m_slots[i]->removed.load() && m_slots[i]->name == name) return i;
    return std::nullopt;
}

std::optional<std::size_t> BackendTable::add(std::string name, tcp::endpoint endpoint) {
    std::lock_guard lock(m_write_mutex);
    const std::size_t n = size();
    if (n == capacity || find(name)) return std::nullopt;
    m_slots[n] = std::make_unique<Backend>(std::move(name), endpoint);
    m_size.store(n + 1, std::memory_order_release);
    return n;
}

std::optional<std::size_t> BackendTable::remove(const std::string& name) {
    std::lock_guard lock(m_write_mutex);
    auto index = find(name);
    if (index) m_slots[*index]->removed.store(true);
    return index;
}

} // namespace statelab
