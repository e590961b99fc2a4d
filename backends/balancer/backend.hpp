#pragma once
// One app server behind the balancer, with the live state every thread reads. Counters are
// atomics so the per-thread proxy loops never take a lock to update them.
#include "common/http_types.hpp"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace statelab {

struct Backend {
    Backend(std::string n, tcp::endpoint e) : name(std::move(n)), endpoint(e) {}

    const std::string name;
    const tcp::endpoint endpoint;

    std::atomic<bool> up{true};          // healthy as far as we know; starts up, checks correct it
    std::atomic<int> active{0};          // requests in progress right now
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> failures{0}; // connect/reset/timeout talking to it
    std::atomic<int> ok_streak{0};       // consecutive successful health checks
    std::atomic<int> fail_streak{0};     // consecutive failed health checks

    // A refused connect: the node is gone, stop sending it traffic now, not at the next check.
    // Returns true when this call took it down (for the log).
    bool mark_down_passively() {
        ok_streak.store(0, std::memory_order_relaxed);
        return up.exchange(false, std::memory_order_relaxed);
    }
};

using Backends = std::vector<std::unique_ptr<Backend>>;

} // namespace statelab
