#pragma once
// A virtual user's HTTP/1.1 keep-alive connection, bound to the user's own loopback source
// address (127.x.y.z), so the balancer's ip-hash sees one address per user, as in real life.
#include "common/http_types.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace statelab {

enum class TransportFailure { none, connect, reset, timeout };

struct Exchange {
    TransportFailure failure = TransportFailure::none;
    Response response; // valid when failure == none
};

// The cookies a browser would keep for the lab's one site.
class CookieJar {
public:
    void absorb(const Response& res); // Set-Cookie headers (Max-Age=0 deletes)
    std::string header() const;       // "SID=..; SRV=.." or empty
    void clear() { m_cookies.clear(); }
    std::size_t bytes() const;

private:
    std::vector<std::pair<std::string, std::string>> m_cookies;
};

class UserConnection {
public:
    UserConnection(asio::any_io_executor executor, asio::ip::address source, tcp::endpoint target);

    // Sends one request and reads the response, connecting first if needed. Any failure
    // closes the connection; the next call reconnects.
    awaitable<Exchange> send(http::verb verb, std::string_view target, const CookieJar& jar,
                             std::string_view idempotency_key, std::chrono::milliseconds timeout);
    void close();

private:
    awaitable<bool> connect(std::chrono::milliseconds timeout);

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    asio::ip::address m_source;
    tcp::endpoint m_target;
    bool m_connected = false;
};

// The n-th virtual user's source address: 127.0.0.2, 127.0.0.3, ... 127.0.1.0, ...
asio::ip::address_v4 user_source_address(std::size_t n);

} // namespace statelab
