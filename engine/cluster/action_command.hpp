#pragma once
// A node action on somebody else's system, as the command the scenario maps it to
// ("kubectl delete pod web-2 --grace-period=0", "docker kill web-2"): run by /bin/sh, bounded in
// time, its output kept for the event log.
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>

namespace statelab {

struct CommandOutcome {
    int exit_status = -1;   // the shell's exit status; -1 when it did not exit by itself
    bool timed_out = false; // killed (with its process group) at the time limit
    std::string output;     // stdout and stderr together, the last bytes if long
    // "exit 0: deleted pod web-2" / "killed after 30 s: ..." — one line for the event log.
    std::string summary() const;
};

// Blocks until the command ends or `limit` passes. Throws std::runtime_error if the shell cannot
// be started. `started` (if set) learns the command's process group (its shell's pid) at once:
// what the shell leaves running in the background stays in it, for CommandRunner to end.
CommandOutcome run_action_command(const std::string& command, std::chrono::milliseconds limit,
                                  const std::function<void(pid_t)>& started = {});

} // namespace statelab
