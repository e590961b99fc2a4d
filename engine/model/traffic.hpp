#pragma once
// How the virtual users behave: the traffic panel's sliders and a scenario's "traffic" block.
#include "model/declared_journey.hpp"

#include <string>

namespace statelab {

// How long statelab-backend and statelab-balancer keep an idle keep-alive connection open:
// ServerLimits::read_timeout (backends/common/request_framing.hpp), which both servers use, and
// HAProxy's `timeout http-keep-alive 10s` in the config the lab writes for it.
constexpr int server_keep_alive_ms = 10'000;

struct TrafficSettings {
    int users = 100;             // closed loop: concurrent virtual users
    int think_ms = 100;          // closed loop: pause between a user's requests
    double rate = 0;             // > 0: open loop, user journeys started per second
    std::string journey = "shop"; // "shop" | "browse" | "mix" | "declared"
    // journey "declared": the steps the scenario declares (traffic.journey as an object).
    DeclaredJourneyPtr declared;
    double browse_share = 0.5;   // "mix": share of users on the browse journey (0..1)
    // Users share this many client addresses (an office NAT, a carrier-grade NAT): user i comes
    // from address i mod N. 0 = one address per user. Taken by users as they join.
    int source_addresses = 0;
    // Roaming users: this share of them (0..1) gets a new address every `address_change_every_s`
    // (a phone moving between Wi-Fi and mobile). IP stickiness sends each of them elsewhere.
    double address_change_share = 0;
    double address_change_every_s = 10;
    // What a user does when an add or a checkout fails or goes unanswered: "none" gives up,
    // "naive" sends it again as it is (no Idempotency-Key: the server may apply it twice),
    // "idempotent" sends it again with the same Idempotency-Key (applied once).
    std::string retry = "none";
    // Bytes each item added to a cart carries (its name padded: a product's options, a gift
    // note), so sessions grow as users shop; 0 = short names. At most 256 (the backend's limit).
    int item_bytes = 0;
    // sticky-url: the share (0..1) of cart views that open a link another user posted (a chat,
    // a forum) instead of the user's own. The link names that user's server, and with the session
    // id in the URL, that user's session.
    double shared_link_share = 0;
    // A user about to think this long or longer (ms, jitter included) closes its connection
    // first and opens a new one for its next request, as a browser does past the server's
    // keep-alive: open sockets follow the active users, not all of them. 0 = never close.
    int idle_close_ms = server_keep_alive_ms;

    bool open_loop() const { return rate > 0; }
};

} // namespace statelab
