#pragma once
// Plays a timeline on the run clock: each action at its at_s (seconds after `origin`), in
// order, then the end at duration_s. One thread of its own, because an action may take seconds
// (a restart waits for the node to be ready) and must not hold up snapshots or the caller.
// A hold stops the story's clock at its at_s until proceed(): what comes after it keeps its
// distance from it (a lesson's step that waits for the user's "Next").
#include "model/scenario.hpp"
#include "model/story_status.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace statelab {

class TimelinePlayer {
public:
    using Clock = std::chrono::steady_clock;
    using Perform = std::function<void(const TimelineAction&)>;
    using Finish = std::function<void()>;

    TimelinePlayer() = default;
    ~TimelinePlayer() { stop(); }
    TimelinePlayer(const TimelinePlayer&) = delete;
    TimelinePlayer& operator=(const TimelinePlayer&) = delete;

    // Stops any story under way, then plays this one. `perform` and `finish` run on the
    // player's thread; `hold_at_s` must be sorted.
    void play(std::vector<TimelineAction> timeline, double duration_s, std::vector<double> hold_at_s,
              Clock::time_point origin, Perform perform, Finish finish);
    void proceed(); // releases the hold the story waits at (none: nothing)
    void stop();    // joins the thread; never call it from perform or finish
    StoryStatus status() const;

private:
    void run();
    double story_s_locked(Clock::time_point now) const;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::thread m_thread;
    bool m_stopping = false;
    bool m_released = false; // proceed() came for the hold under way
    std::vector<TimelineAction> m_timeline;
    std::vector<double> m_holds;
    double m_duration_s = 0;
    Clock::time_point m_origin{};
    Clock::duration m_held_total{};     // time spent in holds: the story's clock stood still
    Clock::time_point m_held_since{};   // the hold under way (or epoch)
    Perform m_perform;
    Finish m_finish;
    StoryStatus m_status;
};

} // namespace statelab
