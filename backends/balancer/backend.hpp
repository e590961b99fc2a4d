#pragma once
// The app servers behind the balancer, with the live state every thread reads. Counters are
// atomics so the per-thread proxy loops never take a lock to update them.
#include "common/http_types.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace statelab {

struct Backend {
    Backend(std::string n, tcp::endpoint e) : name(std::move(n)), endpoint(e) {}

    const std::string name;
    const tcp::endpoint endpoint;

    std::atomic<bool> up{true};          // healthy as far as we know; starts up, checks correct it
    std::atomic<bool> removed{false};    // taken out by DELETE /lb/backends: never picked again
    std::atomic<int> active{0};          // requests in progress right now
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> failures{0}; // connect/reset/timeout talking to it
    // Requests for it sent to another backend after a connect to it failed while it stayed up
    // (HAProxy's wredis): a sticky user moved away from its session. GET /lb/status says it.
    std::atomic<std::uint64_t> redispatched{0};
    std::atomic<int> ok_streak{0};       // consecutive successful health checks
    std::atomic<int> fail_streak{0};     // consecutive failed health checks

    // Why it last went down or up ("health check: timed out after 1000 ms"), for GET /lb/status:
    // the lab shows every transition as an event with the balancer's own reason.
    // Set on every transition, right after it: also when it happened.
    void set_reason(std::string text) {
        std::lock_guard lock(m_reason_mutex);
        m_reason = std::move(text);
        m_changed = std::chrono::steady_clock::now();
    }
    std::string reason() const {
        std::lock_guard lock(m_reason_mutex);
        return m_reason;
    }
    // How long ago it last went down or up (-1: never): a watcher that reads the status late
    // (the balancer busy with 10,000 users) still puts the transition at its time.
    std::int64_t changed_ms_ago() const {
        std::lock_guard lock(m_reason_mutex);
        if (m_changed == std::chrono::steady_clock::time_point{}) return -1;
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - m_changed).count();
    }

    bool usable() const {
        return up.load(std::memory_order_relaxed) && !removed.load(std::memory_order_relaxed);
    }
    // A refused connect: the node is gone, stop sending it traffic now, not at the next check.
    // Returns true when this call took it down (for the log).
    bool mark_down_passively() {
        ok_streak.store(0, std::memory_order_relaxed);
        return up.exchange(false, std::memory_order_relaxed);
    }

private:
    mutable std::mutex m_reason_mutex; // taken on transitions and status reads only
    std::string m_reason;
    std::chrono::steady_clock::time_point m_changed{};
};

// Backends by index. Slots are only ever appended (a removed backend keeps its slot, flagged),
// so proxy threads can read `size()` and `at(i)` without a lock while the control endpoint adds.
class BackendTable {
public:
    static constexpr std::size_t capacity = 256;

    std::size_t size() const { return m_size.load(std::memory_order_acquire); }
    Backend& at(std::size_t i) const { return *m_slots[i]; }

    // The index of the new backend, or nothing when the name is taken or the table is full.
    std::optional<std::size_t> add(std::string name, tcp::endpoint endpoint);
    // The index of the removed backend, or nothing when no live backend has that name.
    std::optional<std::size_t> remove(const std::string& name);
    std::optional<std::size_t> find(const std::string& name) const; // live backends only

private:
    std::array<std::unique_ptr<Backend>, capacity> m_slots;
    std::atomic<std::size_t> m_size{0};
    mutable std::mutex m_write_mutex; // writers only
};

} // namespace statelab
