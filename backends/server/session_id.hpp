#pragma once
#include <string>
#include <string_view>

namespace statelab {

// 128 bits from OpenSSL's CSPRNG as 32 lowercase hex digits. Throws if the CSPRNG fails.
std::string new_session_id();
// n random bytes as 2n hex digits (order ids, secrets).
std::string random_hex(std::size_t bytes);
// True for exactly 32 lowercase hex digits: anything else is not one of our ids.
bool looks_like_session_id(std::string_view text);
// A short, non-reversible tag for logs: never log a raw session id.
std::string session_log_tag(std::string_view sid);

} // namespace statelab
