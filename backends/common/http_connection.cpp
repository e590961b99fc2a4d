#include "common/http_connection.hpp"

#include "common/http_server.hpp"
#include "common/http_util.hpp"

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

} // namespace

awaitable<void> serve_http_connection(tcp::socket socket, HttpServer& server) {
    const ServerLimits& limits = server.limits();
    beast::tcp_stream stream(std::move(socket));
    error_code ec;
    auto remote = stream.socket().remote_endpoint(ec);
    if (ec) co_return;
    const Peer peer{remote.address(), remote.port()};
    beast::flat_buffer buffer;

    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
        parser.body_limit(limits.body_bytes);
        stream.expires_after(limits.read_timeout);
        co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            std::optional<Response> refusal;
            if (ec == http::error::header_limit)
                refusal = make_error_response(http::status::request_header_fields_too_large,
                                              "request headers larger than " +
                                                  std::to_string(limits.header_bytes) + " bytes\n");
            else if (ec == http::error::body_limit)
                refusal = make_error_response(http::status::payload_too_large, "request body too large\n");
            else if (is_parse_error(ec) && ec != http::error::end_of_stream &&
                     ec != http::error::partial_message)
                refusal = make_error_response(http::status::bad_request,
                                              "malformed HTTP request: " + ec.message() + "\n");
            if (refusal) {
                stream.expires_after(limits.write_timeout);
                co_await http::async_write(stream, *refusal, asio::redirect_error(asio::use_awaitable, ec));
            }
            break;
        }

        Request request = parser.release();
        Response response;
        {
            InFlight guard(server.in_flight());
            response = co_await server.handler()(request, peer);
        }
        if (server.draining()) response.keep_alive(false);
        stream.expires_after(limits.write_timeout);
        co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !response.keep_alive()) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

} // namespace statelab
