#pragma once
// One child process of the cluster: fork+exec with PR_SET_PDEATHSIG(SIGKILL) and a shared
// process group, stderr appended to its log, stdout drained into the same log by a pump thread
// (so the child never blocks on a full pipe) that also spots the `listening 127.0.0.1:<port>`
// line. Every method is thread-safe: statuses() reaps from one thread while apply() waits on
// another, and the pid is never signalled after it has been reaped (pids get reused).
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace statelab {

struct LaunchCommand {
    std::string name;              // node-1, balancer, redis: for messages and the log header
    std::filesystem::path program; // absolute path of the executable
    std::vector<std::string> args; // without argv[0]
    std::filesystem::path log_path;
};

class ChildProcess {
public:
    // Forks and execs `command`. The child joins process group `pgid` (0: a group of its own).
    // Must be called from a thread that outlives the child (see SpawnerThread): the kernel
    // delivers PDEATHSIG when the forking *thread* exits, not the process.
    // Throws ClusterError when the program cannot be executed.
    static std::unique_ptr<ChildProcess> spawn(const LaunchCommand& command, pid_t pgid);

    ~ChildProcess(); // SIGKILLs and reaps the child if it still runs; stops the pump
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return m_pid; }
    pid_t pgid() const { return m_pgid; }
    const std::string& name() const { return m_name; }
    const std::filesystem::path& log_path() const { return m_log_path; }

    // Sends `sig`; false when the child has already been reaped.
    bool signal(int sig);
    // Reaps without blocking; true once the child has exited (now or before).
    bool poll_exit();
    // True when the child has exited, reaped or not; leaves a zombie in place, so its process
    // group id stays reserved (safe to kill(-pgid) without hitting a stranger's group).
    bool has_exited();
    bool reaped() const;
    // Polls until the child has exited and is reaped, or `timeout` passes.
    bool wait_exit(std::chrono::milliseconds timeout);
    // After SIGSTOP: waits until the kernel shows the child stopped (every thread has to reach
    // the stop), so "paused" is true when apply() returns. False on timeout or exit.
    bool wait_stopped(std::chrono::milliseconds timeout);
    // "exited with status 1", "killed by signal 9", or "running".
    std::string exit_description() const;

    // The port of the `listening 127.0.0.1:<port>` line: waits up to `timeout`; nothing when the
    // child closed its stdout (exited) or the time ran out.
    std::optional<std::uint16_t> wait_listening(std::chrono::milliseconds timeout);

private:
    ChildProcess(std::string name, std::filesystem::path log_path, pid_t pid, pid_t pgid,
                 int stdout_fd, int log_fd);
    void pump_stdout(std::stop_token stop);
    void scan_line(const std::string& line);

    const std::string m_name;
    const std::filesystem::path m_log_path;
    const pid_t m_pid;
    const pid_t m_pgid;
    const int m_stdout_fd; // read end of the child's stdout
    const int m_log_fd;    // O_APPEND, shared with the child's stderr

    mutable std::mutex m_mutex; // guards everything below
    std::condition_variable m_changed;
    bool m_reaped = false;
    int m_wait_status = 0;
    bool m_stdout_closed = false;
    std::optional<std::uint16_t> m_listening_port;

    std::jthread m_pump; // last: starts after everything above is initialised
};

} // namespace statelab
