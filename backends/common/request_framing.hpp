#pragma once
// How both servers read a request off the wire, apart from the socket: the limits, the refusals
// (431, 413, 400, 501) and how a request is framed. The connection loop drives a Beast parser
// with these; the fuzz target drives the same parser with the same functions.
#include "common/http_message.hpp"

#include <chrono>
#include <cstddef>
#include <optional>

namespace statelab {

struct ServerLimits {
    std::size_t header_bytes = 16 * 1024;              // larger -> 431
    std::size_t body_bytes = 1024 * 1024;              // larger -> 413
    std::chrono::milliseconds read_timeout{10'000};    // idle keep-alive and slow headers
    std::chrono::milliseconds write_timeout{10'000};
};

using RequestParser = http::request_parser<http::string_body>;

// The read buffer's bound: a request head and a little more. A chunk-size line (with its
// extensions) or trailer that does not fit is refused instead of being buffered whole while it
// keeps coming.
std::size_t read_buffer_bytes(const ServerLimits& limits);

// Puts the header and body limits on a parser for one request.
void apply_limits(RequestParser& parser, const ServerLimits& limits);

// RFC 9112: exactly one Host in an HTTP/1.1 request (400), and no transfer coding but chunked
// (501), as HAProxy answers them. Decided on the header, before any body is read.
std::optional<Response> framing_refusal(const Request& req);

// A chunked body's trailer fields are not headers: Beast adds them to the header, next to
// fields of the same name, after the framing and routing were checked (a trailer `Host:` or
// `Cookie:`). RFC 9110 (6.5.1) forbids merging them blindly; they are dropped. Made from the
// request right after its header was read (it keeps a copy of a chunked request's header),
// applied once the whole request is read.
class TrailerFilter {
public:
    explicit TrailerFilter(const Request& header_only);
    void apply(Request& req) const;

private:
    std::size_t m_fields = 0;
    std::optional<http::request_header<>> m_header; // chunked requests only: others have no trailer
};

// What a failed read gets: 431, 413, 400, or nothing (the client went away or timed out).
std::optional<Response> read_refusal(const error_code& ec, const ServerLimits& limits);

} // namespace statelab
