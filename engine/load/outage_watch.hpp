#pragma once
// How long the session store could not take writes after a blow to one of its processes (a
// kill, stop or pause of redis, or of the primary in shared-store-ha): from the blow to the
// first write answered OK that was sent after the clients first saw the store unavailable.
// When they never saw it unavailable (a replica or a sentinel was hit), there was no outage.
// Fed by the load threads as answers arrive; read by the snapshot timer. Lock-free.
#include <atomic>
#include <chrono>
#include <optional>

namespace statelab {

class OutageWatch {
public:
    using Clock = std::chrono::steady_clock;

    // Starts watching (again: a new blow replaces the one before).
    void watch_from(Clock::time_point blow) {
        m_unavailable.store(0);
        m_recovered.store(0);
        m_blow.store(ticks(blow));
    }
    // An answer "503, X-Session: store-unavailable".
    void store_unavailable(Clock::time_point answered) {
        const auto blow = m_blow.load();
        if (blow == 0 || ticks(answered) < blow) return;
        Clock::rep none = 0;
        m_unavailable.compare_exchange_strong(none, ticks(answered));
    }
    // A write (login, add, checkout, logout) answered 2xx.
    void write_ok(Clock::time_point sent, Clock::time_point answered) {
        const auto unavailable = m_unavailable.load();
        if (unavailable == 0 || ticks(sent) <= unavailable) return;
        Clock::rep none = 0;
        m_recovered.compare_exchange_strong(none, ticks(answered));
    }
    // Once, when writes work again: how long they did not. Stops watching.
    std::optional<Clock::duration> take_recovery() {
        const auto recovered = m_recovered.load();
        const auto blow = m_blow.load();
        if (recovered == 0 || blow == 0) return std::nullopt;
        m_blow.store(0);
        m_unavailable.store(0);
        m_recovered.store(0);
        return Clock::duration(recovered - blow);
    }
    bool watching() const { return m_blow.load(std::memory_order_relaxed) != 0; }
    // Watching, and the users have seen the store unavailable since the blow.
    bool outage_seen() const { return watching() && m_unavailable.load() != 0; }

private:
    static Clock::rep ticks(Clock::time_point t) { return t.time_since_epoch().count(); }

    std::atomic<Clock::rep> m_blow{0}, m_unavailable{0}, m_recovered{0};
};

} // namespace statelab
