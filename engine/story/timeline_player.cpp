#include "story/timeline_player.hpp"

namespace statelab {

void TimelinePlayer::play(std::vector<TimelineAction> timeline, double duration_s, std::vector<double> hold_at_s,
                          Clock::time_point origin, Perform perform, Finish finish) {
    stop();
    std::lock_guard lock(m_mutex);
    m_timeline = std::move(timeline);
    m_holds = std::move(hold_at_s);
    m_duration_s = duration_s;
    m_origin = origin;
    m_held_total = {};
    m_held_since = {};
    m_perform = std::move(perform);
    m_finish = std::move(finish);
    m_stopping = false;
    m_released = false;
    m_status = StoryStatus{};
    m_status.playing = true;
    m_thread = std::thread([this] { run(); });
}

void TimelinePlayer::proceed() {
    std::lock_guard lock(m_mutex);
    if (!m_status.held) return;
    m_released = true;
    m_wake.notify_all();
}

void TimelinePlayer::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_wake.notify_all();
    }
    if (m_thread.joinable()) m_thread.join();
    std::lock_guard lock(m_mutex);
    m_status.playing = false;
    m_status.held = false;
}

StoryStatus TimelinePlayer::status() const {
    std::lock_guard lock(m_mutex);
    StoryStatus status = m_status;
    if (status.playing) status.story_s = story_s_locked(Clock::now());
    return status;
}

double TimelinePlayer::story_s_locked(Clock::time_point now) const {
    // While held, the clock reads the moment the hold began.
    const Clock::time_point at = m_held_since != Clock::time_point{} ? m_held_since : now;
    return std::chrono::duration<double>(at - m_origin - m_held_total).count();
}

void TimelinePlayer::run() {
    std::unique_lock lock(m_mutex);
    std::size_t next_action = 0, next_hold = 0;
    auto due = [&](double at_s) {
        return m_origin + m_held_total + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(at_s));
    };
    while (!m_stopping) {
        // What comes next: a hold comes before the actions at its own time.
        const bool hold_next = next_hold < m_holds.size() &&
                               (next_action >= m_timeline.size() || m_holds[next_hold] <= m_timeline[next_action].at_s) &&
                               m_holds[next_hold] <= m_duration_s;
        const double at_s = hold_next ? m_holds[next_hold]
                            : next_action < m_timeline.size() ? std::min(m_timeline[next_action].at_s, m_duration_s)
                                                              : m_duration_s;
        if (m_wake.wait_until(lock, due(at_s), [&] { return m_stopping; })) break;
        if (hold_next) {
            m_held_since = due(at_s);
            m_status.held = true;
            m_wake.wait(lock, [&] { return m_stopping || m_released; });
            m_held_total += Clock::now() - m_held_since;
            m_held_since = {};
            m_status.held = false;
            m_released = false;
            if (m_stopping) break;
            ++next_hold;
            ++m_status.holds_passed;
            continue;
        }
        if (next_action < m_timeline.size() && m_timeline[next_action].at_s <= m_duration_s) {
            const TimelineAction action = m_timeline[next_action];
            lock.unlock(); // status() and proceed() stay answerable while an action takes seconds
            m_perform(action);
            lock.lock();
            ++next_action;
            ++m_status.done;
            continue;
        }
        m_status.story_s = m_duration_s;
        lock.unlock();
        m_finish();
        lock.lock();
        m_status.finished = true;
        m_status.playing = false;
        return;
    }
    m_status.story_s = story_s_locked(Clock::now());
}

} // namespace statelab
