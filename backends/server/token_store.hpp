#pragma once
// Stateless sessions: the whole session travels in the SID cookie, signed with HMAC-SHA256.
// Any node with the same secret can serve any user; the price is a cookie that grows with the
// cart, capped at the browsers' 4096 bytes per cookie.
#include "server/session_store.hpp"
#include "server/token_codec.hpp"

#include <atomic>
#include <chrono>
#include <functional>

namespace statelab {

class TokenStore final : public SessionStore {
public:
    using Clock = std::chrono::system_clock;
    static constexpr std::size_t max_cookie_bytes = 4096; // "SID=" + value, as browsers count it

    TokenStore(std::string secret, std::chrono::seconds ttl,
               std::function<Clock::time_point()> now = Clock::now);

    const char* name() const override { return "token"; }
    SaveResult create(const Session& session) override;
    LoadResult load(std::string_view sid) override;
    SaveResult save(std::string_view sid, const Session& session) override;
    StoreStatus destroy(std::string_view sid) override;
    StoreStats stats() override;

private:
    SaveResult issue(const Session& session);

    TokenCodec m_codec;
    std::chrono::seconds m_ttl;
    std::function<Clock::time_point()> m_now;
    std::atomic<std::int64_t> m_last_token_bytes{0};
};

} // namespace statelab
