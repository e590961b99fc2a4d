#pragma once
// How the virtual users behave: the traffic panel's sliders and a scenario's "traffic" block.
#include <string>

namespace statelab {

struct TrafficSettings {
    int users = 100;             // closed loop: concurrent virtual users
    int think_ms = 100;          // closed loop: pause between a user's requests
    double rate = 0;             // > 0: open loop, user journeys started per second
    std::string journey = "shop"; // "shop" | "browse" | "mix"
    double browse_share = 0.5;   // "mix": share of users on the browse journey (0..1)

    bool open_loop() const { return rate > 0; }
};

} // namespace statelab
