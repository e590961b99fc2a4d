#pragma once
// Short names for the Asio/Beast types every server file uses.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace statelab {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;
template <typename T> using awaitable = boost::asio::awaitable<T>;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// The remote end of a client connection, as the server's socket sees it.
struct Peer {
    asio::ip::address address;
    std::uint16_t port = 0;
};

// What a server does with one parsed request. Runs on the connection's io_context thread.
using RequestHandler = std::function<awaitable<Response>(Request&, const Peer&)>;

} // namespace statelab
