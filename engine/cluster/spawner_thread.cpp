#include "cluster/spawner_thread.hpp"

#include <exception>
#include <future>

namespace statelab {

SpawnerThread::SpawnerThread() : m_thread([this](std::stop_token stop) { loop(stop); }) {}

SpawnerThread::~SpawnerThread() {
    m_thread.request_stop();
    m_wake.notify_all();
}

void SpawnerThread::run(const std::function<void()>& task) {
    std::promise<void> done;
    auto finished = done.get_future();
    {
        std::lock_guard lock(m_mutex);
        m_tasks.emplace_back([&task, &done] {
            try {
                task();
                done.set_value();
            } catch (...) {
                done.set_exception(std::current_exception());
            }
        });
    }
    m_wake.notify_one();
    finished.get();
}

void SpawnerThread::loop(std::stop_token stop) {
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, stop, [this] { return !m_tasks.empty(); });
        if (m_tasks.empty()) return; // stop requested and nothing left to do
        auto task = std::move(m_tasks.front());
        m_tasks.pop_front();
        lock.unlock();
        task();
        lock.lock();
    }
}

} // namespace statelab
