#include "cluster/command_runner.hpp"

#include <signal.h>

namespace statelab {

void CommandRunner::start(std::string command, std::chrono::milliseconds limit, Done done) {
    std::lock_guard lock(m_mutex);
    m_threads.emplace_back([this, command = std::move(command), limit, done = std::move(done)] {
        CommandOutcome outcome;
        try {
            outcome = run_action_command(command, limit, [this](pid_t group) {
                std::lock_guard lock(m_mutex);
                m_groups.push_back(group);
            });
        } catch (const std::exception& e) {
            outcome.exit_status = 127;
            outcome.output = e.what();
        }
        if (done) done(outcome);
    });
}

void CommandRunner::end_all() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(m_mutex);
        // A group whose members are all gone is refused (ESRCH): harmless. (Its number could be
        // somebody's only after the system's pids wrapped around since: not within a run.)
        for (const pid_t group : m_groups) kill(-group, SIGKILL);
        m_groups.clear();
        threads.swap(m_threads);
    }
    for (std::thread& t : threads) t.join();
    // A command that started its group between the swap and the join: ended too.
    std::lock_guard lock(m_mutex);
    for (const pid_t group : m_groups) kill(-group, SIGKILL);
    m_groups.clear();
}

} // namespace statelab
