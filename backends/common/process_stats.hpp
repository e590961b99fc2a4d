#pragma once
#include <cstdint>

namespace statelab {

// Resident set size of this process in bytes (from /proc/self/statm), 0 if unreadable.
std::uint64_t resident_set_bytes();

} // namespace statelab
