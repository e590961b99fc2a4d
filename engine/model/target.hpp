#pragma once
// A system somebody else runs, driven instead of a cluster the lab launches (scenario "target").
#include "model/action.hpp"
#include "model/declared_journey.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace statelab {

// The lab's own servers say who they are in this header (DESIGN.md, the HTTP contract).
inline const ValueSource lab_served_by{ValueSource::From::header, "X-Served-By"};

struct Target {
    std::string url;  // as written: "http://HOST:PORT"
    std::string host; // HOST (a name or an address), also sent as the Host header
    std::uint16_t port = 80;
    // Which server answered: this header's or cookie's value (default the lab's X-Served-By).
    // Without it the per-server figures are "not known".
    ValueSource served_by = lab_served_by;
    // Node actions as commands: target name -> action -> shell command line.
    std::map<std::string, std::map<Action, std::string>> actions;
};

} // namespace statelab
