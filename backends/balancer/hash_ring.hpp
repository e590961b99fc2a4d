#pragma once
// Consistent hashing: each node owns `vnodes` points on a 64-bit ring; a key belongs to the
// first point clockwise from its hash. Removing one of N nodes moves only that node's ~1/N of
// the keys, where `hash % N` would move almost all of them.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace statelab {

// 64-bit FNV-1a followed by the splitmix64 finalizer: FNV alone clusters similar short keys
// ("node-1#17", "node-1#18") on the ring; the finalizer spreads them. No library needed.
std::uint64_t hash64(std::string_view data);

class HashRing {
public:
    explicit HashRing(unsigned vnodes_per_node = 160);

    // Adds node `id` (any number the caller uses for it); `name` seeds its points, so the same
    // name always lands on the same points whatever the order of adds.
    void add(std::size_t id, std::string_view name);
    void remove(std::size_t id);
    std::size_t node_count() const { return m_node_count; }
    unsigned vnodes_per_node() const { return m_vnodes; }

    // The node owning `key`, walking clockwise past nodes that `usable` rejects (down, full).
    // Empty when no node is usable.
    std::optional<std::size_t> lookup(std::string_view key,
                                      const std::function<bool(std::size_t)>& usable = {}) const;

private:
    struct Point {
        std::uint64_t hash;
        std::size_t id;
        bool operator<(const Point& o) const { return hash < o.hash || (hash == o.hash && id < o.id); }
    };
    unsigned m_vnodes;
    std::size_t m_node_count = 0;
    std::vector<Point> m_points; // sorted by hash
};

} // namespace statelab
