#include "cluster/child_process.hpp"

#include "cluster/supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace statelab {
namespace {

// Returns a copy of `fd` numbered at least 4 (closing the original), so the child's dup2 onto
// 0..3 can never clobber a descriptor it still has to move.
int move_above_stdio(int fd) {
    if (fd < 0 || fd >= 4) return fd;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 4);
    ::close(fd);
    return moved;
}

void close_quietly(int fd) {
    if (fd >= 0) ::close(fd);
}

std::string system_error_text(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

void write_log_header(int log_fd, const LaunchCommand& command) {
    std::string line = "--- statelab supervisor: starting " + command.name + ": " +
                       command.program.string();
    for (const auto& arg : command.args) line += " " + (arg.empty() ? std::string("''") : arg);
    line += "\n";
    [[maybe_unused]] auto written = ::write(log_fd, line.data(), line.size());
}

// Runs in the forked child: only async-signal-safe calls until exec. Reports exec's errno on
// `error_fd` (close-on-exec, so a successful exec reads as EOF in the parent).
[[noreturn]] void exec_child(const char* program, char* const* argv, pid_t parent, pid_t pgid,
                             int null_fd, int stdout_fd, int log_fd, int error_fd) {
    // Dispositions set to SIG_IGN and blocked signals survive exec: give the child a clean slate.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl{};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) sigaction(sig, &dfl, nullptr);

    // One process group for the whole cluster, so a single kill(-pgid) reaches every member.
    if (pgid == 0 || ::setpgid(0, pgid) != 0) ::setpgid(0, 0);
    // Die with the parent even when it is SIGKILLed; if it already died, the prctl came too late.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);

    ::dup2(null_fd, 0);
    ::dup2(stdout_fd, 1);
    ::dup2(log_fd, 2);
    ::dup3(error_fd, 3, O_CLOEXEC);
    // No inherited descriptors: a child holding another child's pipe would hide its EOF.
    if (::syscall(SYS_close_range, 4U, ~0U, 0U) != 0)
        for (int fd = 4; fd < 65536; ++fd) ::close(fd);

    ::execve(program, argv, environ);
    const int error = errno;
    [[maybe_unused]] auto written = ::write(3, &error, sizeof error);
    ::_exit(127);
}

} // namespace

std::unique_ptr<ChildProcess> ChildProcess::spawn(const LaunchCommand& command, pid_t pgid) {
    // Everything the child needs is prepared here: after fork it may not allocate.
    std::vector<std::string> words{command.program.string()};
    words.insert(words.end(), command.args.begin(), command.args.end());
    std::vector<char*> argv;
    for (auto& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);

    int log_fd = ::open(command.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0)
        throw ClusterError(command.name + ": " +
                           system_error_text("cannot open log '" + command.log_path.string() + "'"));
    int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out_pipe[2] = {-1, -1};
    int error_pipe[2] = {-1, -1};
    if (null_fd < 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(error_pipe, O_CLOEXEC) != 0) {
        const std::string message = system_error_text(command.name + ": cannot create pipes");
        for (int fd : {log_fd, null_fd, out_pipe[0], out_pipe[1], error_pipe[0], error_pipe[1]})
            close_quietly(fd);
        throw ClusterError(message);
    }
    log_fd = move_above_stdio(log_fd);
    null_fd = move_above_stdio(null_fd);
    out_pipe[1] = move_above_stdio(out_pipe[1]);
    error_pipe[1] = move_above_stdio(error_pipe[1]);
    write_log_header(log_fd, command);

    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0)
        exec_child(argv[0], argv.data(), parent, pgid, null_fd, out_pipe[1], log_fd, error_pipe[1]);
    const int fork_errno = errno;
    for (int fd : {null_fd, out_pipe[1], error_pipe[1]}) close_quietly(fd);
    if (pid < 0) {
        for (int fd : {log_fd, out_pipe[0], error_pipe[0]}) close_quietly(fd);
        errno = fork_errno;
        throw ClusterError(system_error_text(command.name + ": fork failed"));
    }

    int exec_errno = 0;
    ssize_t got;
    do got = ::read(error_pipe[0], &exec_errno, sizeof exec_errno);
    while (got < 0 && errno == EINTR);
    close_quietly(error_pipe[0]);
    if (got == static_cast<ssize_t>(sizeof exec_errno)) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        for (int fd : {log_fd, out_pipe[0]}) close_quietly(fd);
        throw ClusterError(command.name + ": cannot run '" + command.program.string() +
                           "': " + std::strerror(exec_errno));
    }
    // exec succeeded, so the child's setpgid is done: learn which group it is in.
    const pid_t child_group = ::getpgid(pid);
    return std::unique_ptr<ChildProcess>(new ChildProcess(command.name, command.log_path, pid,
                                                          child_group > 0 ? child_group : pid,
                                                          out_pipe[0], log_fd));
}

ChildProcess::ChildProcess(std::string name, std::filesystem::path log_path, pid_t pid,
                           pid_t pgid, int stdout_fd, int log_fd)
    : m_name(std::move(name)), m_log_path(std::move(log_path)), m_pid(pid), m_pgid(pgid),
      m_stdout_fd(stdout_fd), m_log_fd(log_fd),
      m_pump([this](std::stop_token stop) { pump_stdout(stop); }) {}

ChildProcess::~ChildProcess() {
    if (signal(SIGKILL)) wait_exit(std::chrono::seconds(5));
    m_pump.request_stop();
    if (m_pump.joinable()) m_pump.join();
    close_quietly(m_stdout_fd);
    close_quietly(m_log_fd);
}

bool ChildProcess::signal(int sig) {
    std::lock_guard lock(m_mutex);
    if (m_reaped) return false;
    return ::kill(m_pid, sig) == 0;
}

bool ChildProcess::poll_exit() {
    std::lock_guard lock(m_mutex);
    if (m_reaped) return true;
    int status = 0;
    const pid_t got = ::waitpid(m_pid, &status, WNOHANG);
    if (got == m_pid || (got < 0 && errno == ECHILD)) {
        // ECHILD: someone else reaped it (a stray SIGCHLD handler); it is gone all the same.
        m_reaped = true;
        m_wait_status = got == m_pid ? status : 0;
        m_changed.notify_all();
    }
    return m_reaped;
}

bool ChildProcess::has_exited() {
    std::lock_guard lock(m_mutex);
    if (m_reaped) return true;
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0)
        return errno == ECHILD;
    return info.si_pid == m_pid;
}

bool ChildProcess::reaped() const {
    std::lock_guard lock(m_mutex);
    return m_reaped;
}

bool ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!poll_exit()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

bool ChildProcess::wait_stopped(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string stat_path = "/proc/" + std::to_string(m_pid) + "/stat";
    while (!poll_exit()) {
        // /proc/<pid>/stat: "pid (comm) S ..."; comm may hold spaces, so look after the last ')'.
        char text[512] = {};
        const int fd = ::open(stat_path.c_str(), O_RDONLY | O_CLOEXEC);
        const ssize_t got = fd >= 0 ? ::read(fd, text, sizeof text - 1) : -1;
        close_quietly(fd);
        const char* paren = got > 0 ? std::strrchr(text, ')') : nullptr;
        if (paren && paren[1] == ' ' && (paren[2] == 'T' || paren[2] == 't')) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
}

std::string ChildProcess::exit_description() const {
    std::lock_guard lock(m_mutex);
    if (!m_reaped) return "running";
    if (WIFEXITED(m_wait_status)) return "exited with status " + std::to_string(WEXITSTATUS(m_wait_status));
    if (WIFSIGNALED(m_wait_status)) {
        const int sig = WTERMSIG(m_wait_status);
        const char* name = sigabbrev_np(sig);
        return "killed by signal " + std::to_string(sig) + (name ? std::string(" (SIG") + name + ")" : "");
    }
    return "exited";
}

std::optional<std::uint16_t> ChildProcess::wait_listening(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    m_changed.wait_for(lock, timeout, [this] { return m_listening_port || m_stdout_closed; });
    return m_listening_port;
}

void ChildProcess::pump_stdout(std::stop_token stop) {
    std::string pending;
    char buffer[4096];
    while (!stop.stop_requested()) {
        pollfd pfd{m_stdout_fd, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, 100); // wakes regularly to notice a stop request
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;
        const ssize_t got = ::read(m_stdout_fd, buffer, sizeof buffer);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got <= 0) break; // EOF: the child (and anything sharing its stdout) is gone
        [[maybe_unused]] auto written = ::write(m_log_fd, buffer, static_cast<size_t>(got));
        pending.append(buffer, static_cast<size_t>(got));
        for (auto newline = pending.find('\n'); newline != std::string::npos;
             newline = pending.find('\n')) {
            scan_line(pending.substr(0, newline));
            pending.erase(0, newline + 1);
        }
        if (pending.size() > 64 * 1024) pending.clear(); // a line that long is not ours to parse
    }
    std::lock_guard lock(m_mutex);
    m_stdout_closed = true;
    m_changed.notify_all();
}

void ChildProcess::scan_line(const std::string& line) {
    static constexpr std::string_view prefix = "listening 127.0.0.1:";
    if (!line.starts_with(prefix)) return;
    const int port = std::atoi(line.c_str() + prefix.size());
    if (port < 1 || port > 65535) return;
    std::lock_guard lock(m_mutex);
    if (!m_listening_port) m_listening_port = static_cast<std::uint16_t>(port);
    m_changed.notify_all();
}

} // namespace statelab
