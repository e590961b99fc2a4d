#pragma once
// A thread that calls `work` every `every` until destroyed: the watchers' loop (which Redis is
// primary, which servers the balancer takes as up). Their questions block, bounded by their own
// timeouts, so they never run on the engine's threads; the destructor wakes the wait at once.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace statelab {

class PeriodicThread {
public:
    PeriodicThread(std::chrono::milliseconds every, std::function<void()> work) {
        m_thread = std::thread([this, every, work = std::move(work)] {
            std::unique_lock lock(m_mutex);
            while (!m_stopping) {
                lock.unlock();
                work();
                lock.lock();
                m_wake.wait_for(lock, every, [this] { return m_stopping; });
            }
        });
    }
    ~PeriodicThread() {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    PeriodicThread(const PeriodicThread&) = delete;
    PeriodicThread& operator=(const PeriodicThread&) = delete;

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread; // last: started once the members it uses exist
};

} // namespace statelab
