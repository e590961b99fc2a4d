#include "server/peer_directory.hpp"

#include <fstream>
#include <sstream>

namespace statelab {

PeerDirectory::PeerDirectory(std::filesystem::path file, std::string self)
    : m_file(std::move(file)), m_self(std::move(self)) {}

void PeerDirectory::refresh_locked() {
    const auto now = std::chrono::steady_clock::now();
    if (now < m_next_look) return;
    m_next_look = now + std::chrono::milliseconds(200);
    std::error_code ec;
    const auto version = std::filesystem::last_write_time(m_file, ec);
    if (ec || version == m_read_version) return;
    std::ifstream in(m_file);
    std::vector<std::pair<std::string, std::uint16_t>> nodes;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string name;
        unsigned port = 0;
        if (words >> name >> port && port > 0 && port <= 65535)
            nodes.emplace_back(std::move(name), static_cast<std::uint16_t>(port));
    }
    m_nodes = std::move(nodes);
    m_read_version = version;
}

std::optional<std::uint16_t> PeerDirectory::port_of(const std::string& name) {
    std::lock_guard lock(m_mutex);
    refresh_locked();
    for (const auto& [node, port] : m_nodes)
        if (node == name) return port;
    return std::nullopt;
}

std::vector<std::pair<std::string, std::uint16_t>> PeerDirectory::others() {
    std::lock_guard lock(m_mutex);
    refresh_locked();
    std::vector<std::pair<std::string, std::uint16_t>> out;
    for (const auto& node : m_nodes)
        if (node.first != m_self) out.push_back(node);
    return out;
}

} // namespace statelab
