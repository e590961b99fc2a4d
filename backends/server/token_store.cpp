#include "server/token_store.hpp"

#include <nlohmann/json.hpp>

namespace statelab {

TokenStore::TokenStore(std::string secret, std::chrono::seconds ttl,
                       std::function<Clock::time_point()> now)
    : m_codec(std::move(secret)), m_ttl(ttl), m_now(std::move(now)) {}

static std::int64_t unix_seconds(TokenStore::Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

SaveResult TokenStore::issue(const Session& session) {
    // The expiry rides inside the signed payload, so a client cannot extend it.
    auto payload = nlohmann::json::parse(session_to_json(session));
    payload["exp"] = unix_seconds(m_now()) + m_ttl.count();
    std::string token = m_codec.sign(payload.dump());
    const std::size_t cookie_bytes = token.size() + 4; // "SID="
    if (cookie_bytes > max_cookie_bytes)
        return {StoreStatus::too_large, {},
                "session too large for a cookie: " + std::to_string(cookie_bytes) + " bytes > " +
                    std::to_string(max_cookie_bytes)};
    m_last_token_bytes.store(static_cast<std::int64_t>(cookie_bytes), std::memory_order_relaxed);
    return {StoreStatus::ok, std::move(token), {}};
}

SaveResult TokenStore::create(const Session& session) { return issue(session); }

SaveResult TokenStore::save(std::string_view, const Session& session) { return issue(session); }

LoadResult TokenStore::load(std::string_view sid) {
    auto payload = m_codec.verify(sid);
    if (!payload) return {StoreStatus::not_found, {}, "bad signature"};
    try {
        auto j = nlohmann::json::parse(*payload);
        if (j.at("exp").get<std::int64_t>() < unix_seconds(m_now()))
            return {StoreStatus::not_found, {}, "expired"};
        return {StoreStatus::ok, session_from_json(*payload), {}};
    } catch (const std::exception&) {
        // Signed by us yet unreadable (an older format): treat as no session, never crash.
        return {StoreStatus::not_found, {}, "unreadable token"};
    }
}

// Nothing to delete server-side: logout clears the cookie. (A stolen token stays valid until
// it expires; that is the honest trade-off of stateless sessions, and the lab shows it.)
StoreStatus TokenStore::destroy(std::string_view) { return StoreStatus::ok; }

StoreStats TokenStore::stats() { return {-1, m_last_token_bytes.load(std::memory_order_relaxed)}; }

} // namespace statelab
