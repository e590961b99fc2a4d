#pragma once
// Small host-side helpers the supervisor needs before it starts anything: free ports, secrets
// on disk, finding programs, and the tail of a log for error messages.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace statelab {

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
std::uint16_t free_loopback_port();

// `bytes` bytes from the kernel's CSPRNG, as lowercase hex.
std::string random_hex(std::size_t bytes);

// Writes `content` plus a newline to `path`, readable by the owner only (mode 0600).
void write_private_file(const std::filesystem::path& path, const std::string& content);

// The absolute path of `program` found in $PATH, if any.
std::optional<std::filesystem::path> find_in_path(const std::string& program);

// True when `path` is a regular file we may execute.
bool is_executable(const std::filesystem::path& path);

// The last `lines` non-empty lines of a log's latest run (after the supervisor's last
// "--- statelab supervisor: starting" header), joined by " | " (empty when unreadable).
std::string log_tail(const std::filesystem::path& path, int lines = 5);

// Creates `run_dir` (or a fresh statelab-run.XXXXXX under the temp dir when empty).
std::filesystem::path prepare_run_dir(const std::filesystem::path& run_dir);

} // namespace statelab
