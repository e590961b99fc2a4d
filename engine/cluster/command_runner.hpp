#pragma once
// Command actions off the story's thread: each command (cluster/action_command) runs on a
// thread of its own, so a slow one (`sleep 25`, a `kubectl rollout` that waits) holds up neither
// the traffic's end, nor the timeline's next steps, nor Ctrl-C. When the run ends, end_all()
// ends every command still running and whatever any command left behind in its process group
// (`sleep 321 &`), and waits for their threads.
#include "cluster/action_command.hpp"

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace statelab {

class CommandRunner {
public:
    using Done = std::function<void(const CommandOutcome&)>;

    CommandRunner() = default;
    ~CommandRunner() { end_all(); }
    CommandRunner(const CommandRunner&) = delete;
    CommandRunner& operator=(const CommandRunner&) = delete;

    // Starts `command`; `done` gets its outcome on the command's thread (a shell that could not
    // start: exit status 127 and the reason as its output).
    void start(std::string command, std::chrono::milliseconds limit, Done done);
    // Ends every command's process group (running or left behind) and joins their threads.
    void end_all();

private:
    std::mutex m_mutex;
    std::vector<std::thread> m_threads;
    std::vector<pid_t> m_groups; // one per command started since the last end_all
};

} // namespace statelab
