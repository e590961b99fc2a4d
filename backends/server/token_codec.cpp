#include "server/token_codec.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace statelab {

TokenCodec::TokenCodec(std::string key) : m_key(std::move(key)) {}

std::string base64url_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;
    std::string std64(text);
    for (char& c : std64) {
        if (c == '-') c = '+';
        else if (c == '_') c = '/';
        else if (c == '+' || c == '/' || c == '=') return std::nullopt; // not base64url
    }
    const std::size_t pad = (4 - std64.size() % 4) % 4;
    std64.append(pad, '=');
    std::string out(std64.size() / 4 * 3, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(std64.data()),
                            static_cast<int>(std64.size()));
    if (n < 0) return std::nullopt;
    out.resize(static_cast<std::size_t>(n) - pad); // EVP_DecodeBlock counts the padding as zeros
    // One spelling per value: the last character's unused bits must be zero (else `8`, `9`, `-`
    // and `_` could end the same signature). Canonical text encodes back to itself.
    if (base64url_encode(out) != text) return std::nullopt;
    return out;
}

std::string TokenCodec::mac(std::string_view signed_part) const {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), m_key.data(), static_cast<int>(m_key.size()),
         reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), digest, &len);
    return std::string(reinterpret_cast<char*>(digest), len);
}

std::string TokenCodec::sign(std::string_view payload) const {
    std::string token(version_tag);
    token += '.';
    token += base64url_encode(payload);
    std::string signature = base64url_encode(mac(token));
    token += '.';
    token += signature;
    return token;
}

std::optional<std::string> TokenCodec::verify(std::string_view token) const {
    auto first = token.find('.');
    auto last = token.rfind('.');
    if (first == std::string_view::npos || first == last) return std::nullopt;
    if (token.substr(0, first) != version_tag) return std::nullopt;
    auto given = base64url_decode(token.substr(last + 1));
    if (!given) return std::nullopt;
    const std::string expected = mac(token.substr(0, last));
    if (given->size() != expected.size() ||
        CRYPTO_memcmp(given->data(), expected.data(), expected.size()) != 0)
        return std::nullopt;
    return base64url_decode(token.substr(first + 1, last - first - 1));
}

} // namespace statelab
