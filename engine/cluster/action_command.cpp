#include "cluster/action_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace statelab {

namespace {
constexpr std::size_t max_output = 16 * 1024; // the event log shows a line; the tail is kept
}

std::string CommandOutcome::summary() const {
    std::string text = output;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    for (char& c : text)
        if (c == '\n') c = '|';
        else if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    if (text.size() > 300) text = "..." + text.substr(text.size() - 297);
    const std::string head = timed_out ? "killed at the time limit" : "exit " + std::to_string(exit_status);
    return text.empty() ? head : head + ": " + text;
}

CommandOutcome run_action_command(const std::string& command, std::chrono::milliseconds limit,
                                  const std::function<void(pid_t)>& started) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("cannot make a pipe: ") + std::strerror(errno));
    const pid_t pid = fork();
    if (pid < 0) {
        close(pipe_fds[0]), close(pipe_fds[1]);
        throw std::runtime_error(std::string("cannot start /bin/sh: ") + std::strerror(errno));
    }
    if (pid == 0) {
        // A group of its own, so the time limit kills what the shell started too; and it dies
        // with the lab (the forking thread waits for it, so the signal comes only if we die).
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(pipe_fds[1], STDOUT_FILENO);
        dup2(pipe_fds[1], STDERR_FILENO);
        const int null_fd = open("/dev/null", O_RDONLY);
        if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
        execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    close(pipe_fds[1]);
    setpgid(pid, pid); // also from here: the group exists before anybody signals it
    if (started) started(pid);
    CommandOutcome outcome;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    char buffer[4096];
    for (bool open_pipe = true; open_pipe;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            outcome.timed_out = true;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            break;
        }
        pollfd p{pipe_fds[0], POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 200))) <= 0) continue;
        const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
        if (n <= 0) open_pipe = n < 0 && errno == EINTR;
        else outcome.output.append(buffer, static_cast<std::size_t>(n));
        if (outcome.output.size() > max_output) outcome.output.erase(0, outcome.output.size() - max_output);
    }
    close(pipe_fds[0]);
    // The pipe closed (the shell and what it started are done with it); the shell's status, or
    // a forced end if it hangs on past the limit.
    int status = 0;
    while (!outcome.timed_out) {
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) break;
        if (std::chrono::steady_clock::now() >= deadline) {
            outcome.timed_out = true;
            kill(-pid, SIGKILL);
        } else {
            usleep(10'000);
        }
    }
    if (outcome.timed_out) {
        waitpid(pid, &status, 0);
        return outcome;
    }
    outcome.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return outcome;
}

} // namespace statelab
