#pragma once
// Pure text functions the servers use on what clients send: query values, names, ports,
// tokens. No networking here, so the fuzzers (tests/fuzz) build them alone.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace statelab {

// The percent-decoded value of a query parameter, if present ("?item=red%20hat" -> "red hat").
std::optional<std::string> query_param(std::string_view target, std::string_view name);

std::string percent_decode(std::string_view text);

// True when every %-escape of the target's query is well formed and every decoded key and
// value is UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
// Otherwise false, with what is wrong in `why`: such a request gets a 400, not a crash later
// when the value goes into JSON.
bool query_is_valid(std::string_view target, std::string* why = nullptr);
bool is_valid_utf8(std::string_view text);

// A node's name as it goes into headers and cookies (X-Served-By, SRV=...): 1..64 of
// A-Z a-z 0-9 . _ -, starting with a letter or digit. Nothing that could break a header line
// or add a cookie attribute.
bool is_node_name(std::string_view name);

// "1".."65535", digits only; nothing otherwise ("99999", "4294967297", "80abc", "").
std::optional<std::uint16_t> parse_port(std::string_view text);

// Equal strings, compared in time that does not depend on where they differ (tokens).
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace statelab
