#include "balancer/upstream_pool.hpp"

namespace statelab {

std::optional<beast::tcp_stream> UpstreamPool::take(std::size_t index) {
    if (index >= m_idle.size()) return std::nullopt;
    auto& idle = m_idle[index];
    const auto now = std::chrono::steady_clock::now();
    while (!idle.empty()) {
        Idle conn = std::move(idle.back());
        idle.pop_back();
        if (now - conn.since < max_idle) return std::move(conn.stream);
    }
    return std::nullopt;
}

void UpstreamPool::give_back(std::size_t index, beast::tcp_stream stream) {
    if (index >= m_idle.size()) m_idle.resize(index + 1);
    auto& idle = m_idle[index];
    if (idle.size() >= max_idle_per_backend) return; // closes it
    idle.push_back({std::move(stream), std::chrono::steady_clock::now()});
}

void UpstreamPool::forget(std::size_t index) {
    if (index < m_idle.size()) m_idle[index].clear();
}

UpstreamPool& UpstreamPool::for_this_thread() {
    thread_local UpstreamPool pool;
    return pool;
}

} // namespace statelab
