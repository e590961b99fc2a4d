#pragma once
#include <string>

namespace statelab {

// Something that happened to the cluster or the traffic, at a time on the run's clock.
struct Event {
    double t_s = 0;
    std::string action; // kill, stop, pause, resume, restart, add, remove, set, launch, error...
    std::string target; // process name, or "traffic" for set
    std::string detail; // e.g. "users 300 -> 600", or an error message
};

} // namespace statelab
