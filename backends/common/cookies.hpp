#pragma once
// Cookie header parsing shared by the app server (SID) and the balancer (SRV, SID).
#include "common/http_message.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace statelab {

// The value of cookie `name` in one Cookie header value ("a=1; SID=ab12" -> "ab12").
std::optional<std::string_view> find_cookie(std::string_view cookie_header, std::string_view name);

// The value of cookie `name` across all Cookie headers of a request.
std::optional<std::string_view> request_cookie(const Request& req, std::string_view name);

// The Cookie header value with cookie `name` removed; empty when nothing else is left.
std::string remove_cookie(std::string_view cookie_header, std::string_view name);

// Removes cookie `name` from every Cookie header of the request (dropping headers left empty).
void strip_request_cookie(Request& req, std::string_view name);

// A Set-Cookie value: `NAME=VALUE; Path=/; HttpOnly; SameSite=Lax`.
std::string session_cookie(std::string_view name, std::string_view value);

// A Set-Cookie value that deletes the cookie in the browser.
std::string expired_cookie(std::string_view name);

} // namespace statelab
