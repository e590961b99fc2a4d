#pragma once
// Which server answered, as a number the per-thread counters index by (IntervalStats::by_node).
// The lab's own servers are "node-N": N, with no lock. Somebody else's app names its servers as
// it likes ("web-7f9c", a pod name): each new name gets the next number, in the order first
// seen, up to a bound (a header cannot make the counters grow without end). Thread-safe.
#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace statelab {

class ServerNames {
public:
    static constexpr std::size_t max_names = 64;

    // `lab_names`: "node-N" means node N (a cluster the lab launched, or a shard attached to one);
    // otherwise every name is registered as seen.
    void reset(bool lab_names);
    // 0 = not known (no name, or past the bound).
    std::size_t number(std::string_view name);
    // "node-N" for a number nobody registered.
    std::string name(std::size_t number) const;

private:
    mutable std::mutex m_mutex;
    std::vector<std::string> m_names; // number n is m_names[n - 1]
    std::atomic<bool> m_lab_names{true}; // read on every answer: the lab's own names take no lock
};

} // namespace statelab
