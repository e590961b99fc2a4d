#pragma once
// Idle keep-alive connections to the backends, one pool per proxy thread (so no locking):
// a request borrows a connection and gives it back when the backend kept it alive.
#include "common/http_types.hpp"

#include <chrono>
#include <deque>
#include <optional>
#include <vector>

namespace statelab {

class UpstreamPool {
public:
    // Backends close idle keep-alive connections after 10 s; never hand out one near that age.
    static constexpr std::chrono::seconds max_idle{4};
    static constexpr std::size_t max_idle_per_backend = 256;

    // An idle connection to backend `index`, if one is fresh enough.
    std::optional<beast::tcp_stream> take(std::size_t index);
    void give_back(std::size_t index, beast::tcp_stream stream);
    // Drops every idle connection to a backend (it died or was removed).
    void forget(std::size_t index);
    // Closes every idle connection. Call before the io_context they belong to is destroyed.
    void clear() { m_idle.clear(); }

    // The calling thread's pool.
    static UpstreamPool& for_this_thread();

private:
    struct Idle {
        beast::tcp_stream stream;
        std::chrono::steady_clock::time_point since;
    };
    // Closes the connections idle for max_idle or longer: the oldest are at the front (a
    // connection is taken from the back, the most recently used first, so the ones a burst
    // opened would otherwise wait there, open, until the backend's own timeout).
    void drop_stale(std::deque<Idle>& idle, std::chrono::steady_clock::time_point now);

    std::vector<std::deque<Idle>> m_idle; // by backend index, oldest first
};

} // namespace statelab
