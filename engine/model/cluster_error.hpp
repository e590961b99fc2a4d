#pragma once
// What the engine throws when the cluster (or the system it drives) cannot do what was asked:
// launch, act, attach, resolve a target. The window and statelab-cli show its one line as is.
#include <stdexcept>

namespace statelab {

// A clear, one-line message naming the process and why (with its stderr tail).
struct ClusterError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

} // namespace statelab
