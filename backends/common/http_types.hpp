#pragma once
// Short names for the Asio/Beast types every server file uses (the message types are in
// http_message.hpp).
#include "common/http_message.hpp"

#include <boost/asio.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace statelab {

using tcp = boost::asio::ip::tcp;
template <typename T> using awaitable = boost::asio::awaitable<T>;

// The remote end of a client connection, as the server's socket sees it.
struct Peer {
    asio::ip::address address;
    std::uint16_t port = 0;
};

// What a server does with one parsed request. Runs on the connection's io_context thread.
using RequestHandler = std::function<awaitable<Response>(Request&, const Peer&)>;

} // namespace statelab
