#pragma once
#include "common/http_message.hpp"
#include "common/text_checks.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace statelab {

// A response with the given status, body and content type; version and keep-alive from `req`.
Response make_response(const Request& req, http::status status, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8");

// Same, for the cases where no request was parsed (400, 431 on the raw connection).
Response make_error_response(http::status status, std::string body);

// The path part of a request target ("/cart/items?item=x" -> "/cart/items").
std::string_view target_path(std::string_view target);

// The value of a header, empty when absent.
std::string_view header_value(const Request& req, std::string_view name);

// Escapes text for a JSON string literal body we write by hand (error messages).
std::string json_quote(std::string_view text);

} // namespace statelab
