#pragma once
// How many sockets this process has open: the /proc/self/fd entries that link to
// "socket:[inode]". The engine's virtual users run in the test's own process, so this counts
// their connections (and the engine's few others), as `ls -l /proc/PID/fd` would.
#include <filesystem>
#include <system_error>

namespace statelab::test {

// All open files: a directory listing only, cheap enough to sample often with 20,000 open (a
// readlink per entry, as open_sockets does, cost the benchmark a good part of a core).
inline int open_files() {
    int files = 0;
    std::error_code ec;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++files;
    return files;
}

inline int open_sockets() {
    int sockets = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
        std::error_code link_ec; // an fd closed while we list is skipped
        const auto target = std::filesystem::read_symlink(entry.path(), link_ec);
        if (!link_ec && target.native().starts_with("socket:")) ++sockets;
    }
    return sockets;
}

} // namespace statelab::test
