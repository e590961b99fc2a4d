#pragma once
// A long-lived thread that does all the supervisor's forking. PR_SET_PDEATHSIG fires when the
// thread that forked a child exits, not when the process does: if apply() ran fork on a
// short-lived worker thread, the node would be SIGKILLed the moment that worker ended. This
// thread lives exactly as long as the Supervisor, so children die with it and no earlier.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace statelab {

class SpawnerThread {
public:
    SpawnerThread();
    ~SpawnerThread();
    SpawnerThread(const SpawnerThread&) = delete;
    SpawnerThread& operator=(const SpawnerThread&) = delete;

    // Runs `task` on the spawner thread and waits for it; rethrows what it throws.
    void run(const std::function<void()>& task);

private:
    void loop(std::stop_token stop);

    std::mutex m_mutex;
    std::condition_variable_any m_wake;
    std::deque<std::function<void()>> m_tasks;
    std::jthread m_thread; // last: starts after the queue exists
};

} // namespace statelab
