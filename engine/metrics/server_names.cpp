#include "metrics/server_names.hpp"

#include "metrics/interval_stats.hpp"

#include <algorithm>

namespace statelab {

void ServerNames::reset(bool lab_names) {
    std::lock_guard lock(m_mutex);
    m_names.clear();
    m_lab_names = lab_names;
}

std::size_t ServerNames::number(std::string_view name) {
    if (name.empty()) return 0;
    if (m_lab_names.load(std::memory_order_relaxed)) {
        const std::size_t n = node_number(name);
        return n <= max_names ? n : 0;
    }
    std::lock_guard lock(m_mutex);
    const auto it = std::find(m_names.begin(), m_names.end(), name);
    if (it != m_names.end()) return static_cast<std::size_t>(it - m_names.begin()) + 1;
    if (m_names.size() >= max_names) return 0;
    m_names.emplace_back(name);
    return m_names.size();
}

std::string ServerNames::name(std::size_t number) const {
    std::lock_guard lock(m_mutex);
    if (!m_lab_names && number >= 1 && number <= m_names.size()) return m_names[number - 1];
    return "node-" + std::to_string(number);
}

} // namespace statelab
