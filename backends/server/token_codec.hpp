#pragma once
// Signed, versioned tokens: "v1.<base64url payload>.<base64url HMAC-SHA256(key, "v1.<payload>")>".
// The signature covers the version tag, so a token can't be replayed under another format.
#include <optional>
#include <string>
#include <string_view>

namespace statelab {

class TokenCodec {
public:
    static constexpr std::string_view version_tag = "v1";
    explicit TokenCodec(std::string key);

    std::string sign(std::string_view payload) const;
    // The payload when the version and signature check out (constant-time compare), else nothing.
    std::optional<std::string> verify(std::string_view token) const;

private:
    std::string mac(std::string_view signed_part) const;
    std::string m_key;
};

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

} // namespace statelab
