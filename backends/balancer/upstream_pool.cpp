#include "balancer/upstream_pool.hpp"

#include <cerrno>
#include <sys/socket.h>

namespace statelab {

namespace {
// An idle keep-alive connection the backend has closed (its idle timeout, its death) reads as
// end-of-file or an error without blocking; a live one has nothing to read. Checked before a
// request is written, so a request is never sent into a connection known to be gone.
bool still_open(beast::tcp_stream& stream) {
    char byte;
    const ssize_t n = ::recv(stream.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}
} // namespace

void UpstreamPool::drop_stale(std::deque<Idle>& idle, std::chrono::steady_clock::time_point now) {
    while (!idle.empty() && now - idle.front().since >= max_idle) idle.pop_front();
}

std::optional<beast::tcp_stream> UpstreamPool::take(std::size_t index) {
    if (index >= m_idle.size()) return std::nullopt;
    auto& idle = m_idle[index];
    drop_stale(idle, std::chrono::steady_clock::now());
    while (!idle.empty()) {
        Idle conn = std::move(idle.back());
        idle.pop_back();
        if (still_open(conn.stream)) return std::move(conn.stream);
    }
    return std::nullopt;
}

void UpstreamPool::give_back(std::size_t index, beast::tcp_stream stream) {
    if (index >= m_idle.size()) m_idle.resize(index + 1);
    auto& idle = m_idle[index];
    const auto now = std::chrono::steady_clock::now();
    drop_stale(idle, now);
    if (idle.size() >= max_idle_per_backend) return; // closes it
    idle.push_back({std::move(stream), now});
}

void UpstreamPool::forget(std::size_t index) {
    if (index < m_idle.size()) m_idle[index].clear();
}

UpstreamPool& UpstreamPool::for_this_thread() {
    thread_local UpstreamPool pool;
    return pool;
}

} // namespace statelab
