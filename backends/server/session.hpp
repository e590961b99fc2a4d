#pragma once
// One shopper's session: what every store keeps, however it keeps it.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace statelab {

struct Session {
    std::string user;
    std::vector<std::string> items;
    std::uint64_t version = 0;
    // Idempotency-Key -> the response body the first attempt produced (newest last, bounded).
    std::vector<std::pair<std::string, std::string>> replies;
    // --session-padding: dead weight that makes "bloated sessions" visible in RSS and Redis.
    std::string padding;

    static constexpr std::size_t max_remembered_replies = 16;

    const std::string* remembered_reply(const std::string& key) const;
    void remember_reply(std::string key, std::string body);
    // Approximate bytes of state this session holds (for the metrics).
    std::size_t state_bytes() const;
};

// Compact JSON used by the redis and token stores: {"u":..,"i":[..],"v":n,"r":[[k,b]..],"p":".."}.
std::string session_to_json(const Session& session);
// Throws on malformed input.
Session session_from_json(std::string_view text);

// The cart as the HTTP contract shows it: {"user":..,"items":[..],"version":n}.
std::string cart_json(const Session& session);

} // namespace statelab
