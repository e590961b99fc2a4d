#include "common/http_connection.hpp"

#include "common/http_server.hpp"
#include "common/http_util.hpp"

#include <array>
#include <cctype>
#include <optional>

namespace statelab {

namespace {

bool is_parse_error(const error_code& ec) {
    return ec.category() == make_error_code(http::error::bad_method).category();
}

// Keeps the in-flight count right even if the handler throws or the coroutine is destroyed.
struct InFlight {
    std::atomic<int>& count;
    explicit InFlight(std::atomic<int>& c) : count(c) { count.fetch_add(1, std::memory_order_relaxed); }
    ~InFlight() { count.fetch_sub(1, std::memory_order_relaxed); }
};

// RFC 9112: exactly one Host in an HTTP/1.1 request (400), and no transfer coding but chunked
// (501), as HAProxy answers them.
std::optional<Response> framing_refusal(const Request& req) {
    const auto hosts = req.count(http::field::host);
    if (hosts > 1 || (hosts == 0 && req.version() >= 11))
        return make_error_response(http::status::bad_request,
                                   hosts ? "more than one Host header\n" : "an HTTP/1.1 request needs a Host header\n");
    const auto codings = req.count(http::field::transfer_encoding);
    if (codings == 0) return std::nullopt;
    std::string value = codings == 1 ? std::string(req[http::field::transfer_encoding]) : std::string("several");
    for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
    if (value == "chunked") return std::nullopt;
    return make_error_response(http::status::not_implemented,
                               "transfer coding not supported (only chunked): " + value + "\n");
}

// What a failed read gets: 431, 413, 400, or nothing (the client went away).
std::optional<Response> read_refusal(const error_code& ec, const ServerLimits& limits) {
    if (ec == http::error::header_limit)
        return make_error_response(http::status::request_header_fields_too_large,
                                   "request headers larger than " + std::to_string(limits.header_bytes) + " bytes\n");
    if (ec == http::error::body_limit) return make_error_response(http::status::payload_too_large, "request body too large\n");
    if (ec == http::error::buffer_overflow)
        return make_error_response(http::status::payload_too_large, "a chunk line or trailer too long\n");
    if (is_parse_error(ec) && ec != http::error::end_of_stream && ec != http::error::partial_message)
        return make_error_response(http::status::bad_request, "malformed HTTP request: " + ec.message() + "\n");
    return std::nullopt;
}

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
    // Bounded: a chunk-size line (with its extensions) or trailer that does not fit is refused,
    // instead of being buffered whole while it keeps coming.
    beast::flat_buffer buffer(limits.header_bytes + 8 * 1024);

    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
        parser.body_limit(limits.body_bytes);
        stream.expires_after(limits.read_timeout);
        co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        // The framing is decided by the header: refuse what cannot be framed before any body
        // is read (a body taken for the next request is how requests get smuggled).
        std::optional<Response> refusal = ec ? std::nullopt : framing_refusal(parser.get());
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
