#include "cluster/cluster_files.hpp"

#include "cluster/supervisor.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>

namespace statelab {

std::uint16_t free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw ClusterError(std::string("cannot create a socket: ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    const int error = errno;
    ::close(fd);
    if (!ok) throw ClusterError(std::string("cannot find a free port on 127.0.0.1: ") + std::strerror(error));
    return ntohs(address.sin_port);
}

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    std::size_t filled = 0;
    while (filled < bytes) {
        const ssize_t got = ::getrandom(raw.data() + filled, bytes - filled, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) throw ClusterError(std::string("getrandom failed: ") + std::strerror(errno));
        filled += static_cast<std::size_t>(got);
    }
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : raw) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    return hex;
}

void write_private_file(const std::filesystem::path& path, const std::string& content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    // fchmod too: O_CREAT's mode does not apply to a file that already existed.
    const std::string text = content + "\n";
    const bool ok = fd >= 0 && ::fchmod(fd, 0600) == 0 &&
                    ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const int error = errno;
    if (fd >= 0) ::close(fd);
    if (!ok)
        throw ClusterError("cannot write '" + path.string() + "': " + std::strerror(error));
}

bool is_executable(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

std::optional<std::filesystem::path> find_in_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path && *path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) continue;
        const auto candidate = std::filesystem::path(dir) / program;
        if (is_executable(candidate)) return std::filesystem::absolute(candidate);
    }
    // Debian installs haproxy in /usr/sbin, which a normal user's PATH may lack.
    for (const char* dir : {"/usr/sbin", "/usr/local/sbin"}) {
        const auto candidate = std::filesystem::path(dir) / program;
        if (is_executable(candidate)) return candidate;
    }
    return std::nullopt;
}

std::string log_tail(const std::filesystem::path& path, int lines) {
    std::ifstream in(path);
    std::deque<std::string> last;
    std::string line;
    while (std::getline(in, line)) {
        // Logs are appended across restarts: only the latest run explains the latest failure.
        if (line.starts_with("--- statelab supervisor:")) last.clear();
        if (line.empty() || line.starts_with("--- statelab supervisor:")) continue;
        last.push_back(line);
        if (static_cast<int>(last.size()) > lines) last.pop_front();
    }
    std::string joined;
    for (const auto& l : last) joined += (joined.empty() ? "" : " | ") + l;
    return joined;
}

std::filesystem::path prepare_run_dir(const std::filesystem::path& run_dir) {
    std::error_code ec;
    if (run_dir.empty()) {
        std::string pattern = (std::filesystem::temp_directory_path(ec) / "statelab-run.XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw ClusterError("cannot create a run directory '" + pattern + "': " + std::strerror(errno));
        return pattern;
    }
    std::filesystem::create_directories(run_dir, ec);
    if (ec || !std::filesystem::is_directory(run_dir))
        throw ClusterError("cannot create the run directory '" + run_dir.string() + "': " +
                           (ec ? ec.message() : "not a directory"));
    return std::filesystem::absolute(run_dir);
}

} // namespace statelab
