#include "common/http_connection.hpp"

#include "common/http_server.hpp"
#include "common/http_util.hpp"
#include "common/request_framing.hpp"

#include <array>
#include <optional>

namespace statelab {

namespace {

// Keeps the in-flight count right even if the handler throws or the coroutine is destroyed.
struct InFlight {
    std::atomic<int>& count;
    explicit InFlight(std::atomic<int>& c) : count(c) { count.fetch_add(1, std::memory_order_relaxed); }
    ~InFlight() { count.fetch_sub(1, std::memory_order_relaxed); }
};

// After refusing a request whose bytes are still coming: stop sending, then read and drop
// what arrives for a moment (bounded), so closing with unread data does not reset the
// connection and destroy the answer before the client has read it (HAProxy's lingering close).
awaitable<void> linger(beast::tcp_stream& stream) {
    error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    std::array<char, 16 * 1024> scratch;
    std::size_t dropped = 0;
    stream.expires_after(std::chrono::seconds(1));
    while (!ec && dropped < 4 * 1024 * 1024)
        dropped += co_await stream.async_read_some(asio::buffer(scratch), asio::redirect_error(asio::use_awaitable, ec));
}

} // namespace

awaitable<void> serve_http_connection(tcp::socket socket, HttpServer& server) {
    const ServerLimits& limits = server.limits();
    beast::tcp_stream stream(std::move(socket));
    error_code ec;
    auto remote = stream.socket().remote_endpoint(ec);
    if (ec) co_return;
    const Peer peer{remote.address(), remote.port()};
    beast::flat_buffer buffer(read_buffer_bytes(limits)); // bounded: see read_buffer_bytes

    for (;;) {
        RequestParser parser;
        apply_limits(parser, limits);
        stream.expires_after(limits.read_timeout);
        co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        // The framing is decided by the header: refuse what cannot be framed before any body
        // is read (a body taken for the next request is how requests get smuggled).
        std::optional<Response> refusal = ec ? std::nullopt : framing_refusal(parser.get());
        const TrailerFilter trailers(parser.get());
        if (!ec && !refusal)
            co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec && !refusal) refusal = read_refusal(ec, limits);
        if (ec || refusal) {
            if (refusal) {
                refusal->keep_alive(false);
                stream.expires_after(limits.write_timeout);
                co_await http::async_write(stream, *refusal, asio::redirect_error(asio::use_awaitable, ec));
                co_await linger(stream);
                co_return;
            }
            break;
        }

        Request request = parser.release();
        trailers.apply(request);
        Response response;
        try {
            InFlight guard(server.in_flight());
            response = co_await server.handler()(request, peer);
        } catch (const std::exception& e) {
            // A bug answers 500 (and shows in the 5xx count); it never drops the connection silently.
            response = make_response(request, http::status::internal_server_error,
                                     std::string("internal error: ") + e.what() + "\n");
        }
        if (server.draining()) response.keep_alive(false);
        stream.expires_after(limits.write_timeout);
        co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !response.keep_alive()) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

} // namespace statelab
