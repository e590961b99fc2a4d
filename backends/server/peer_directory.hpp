#pragma once
// Where the other app servers are, for a node in replicated mode: a file the supervisor
// rewrites (atomically) whenever a node starts, since a node picks its own port and a restarted
// one gets a new one. One line per node: `node-2 40123`. Read again when the file changed,
// looked at no more than every 200 ms.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace statelab {

class PeerDirectory {
public:
    PeerDirectory(std::filesystem::path file, std::string self);

    std::optional<std::uint16_t> port_of(const std::string& name);
    // Every node but this one, in the file's order.
    std::vector<std::pair<std::string, std::uint16_t>> others();

private:
    void refresh_locked();

    std::filesystem::path m_file;
    std::string m_self;
    std::mutex m_mutex;
    std::vector<std::pair<std::string, std::uint16_t>> m_nodes;
    std::filesystem::file_time_type m_read_version{};
    std::chrono::steady_clock::time_point m_next_look{};
};

} // namespace statelab
