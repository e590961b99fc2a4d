#include "balancer/hash_ring.hpp"

#include <algorithm>

namespace statelab {

std::uint64_t hash64(std::string_view data) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : data) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h;
}

HashRing::HashRing(unsigned vnodes_per_node) : m_vnodes(vnodes_per_node == 0 ? 1 : vnodes_per_node) {}

void HashRing::add(std::size_t id, std::string_view name) {
    remove(id);
    std::string seed(name);
    seed += '#';
    const std::size_t prefix = seed.size();
    for (unsigned i = 0; i < m_vnodes; ++i) {
        seed.resize(prefix);
        seed += std::to_string(i);
        m_points.push_back({hash64(seed), id});
    }
    std::sort(m_points.begin(), m_points.end());
    ++m_node_count;
}

void HashRing::remove(std::size_t id) {
    auto gone = std::remove_if(m_points.begin(), m_points.end(), [id](const Point& p) { return p.id == id; });
    if (gone == m_points.end()) return;
    m_points.erase(gone, m_points.end());
    --m_node_count;
}

std::optional<std::size_t> HashRing::lookup(std::string_view key,
                                            const std::function<bool(std::size_t)>& usable) const {
    if (m_points.empty()) return std::nullopt;
    const std::uint64_t h = hash64(key);
    auto start = std::lower_bound(m_points.begin(), m_points.end(), Point{h, 0});
    const std::size_t first = static_cast<std::size_t>(start - m_points.begin());
    for (std::size_t step = 0; step < m_points.size(); ++step) {
        const Point& p = m_points[(first + step) % m_points.size()];
        if (!usable || usable(p.id)) return p.id;
    }
    return std::nullopt;
}

} // namespace statelab
