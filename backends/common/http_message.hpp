#pragma once
// Short names for the Beast message types, without the coroutine ones: what parses and builds
// messages needs only these, so it also builds where Asio's coroutines do not (the fuzz
// targets, compiled with Debian's clang 14).
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace statelab {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using error_code = boost::system::error_code;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

} // namespace statelab
