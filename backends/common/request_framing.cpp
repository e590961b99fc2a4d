#include "common/request_framing.hpp"

#include "common/http_util.hpp"

#include <cctype>
#include <iterator>
#include <string>

namespace statelab {

namespace {

bool is_parse_error(const error_code& ec) {
    return ec.category() == make_error_code(http::error::bad_method).category();
}

} // namespace

std::size_t read_buffer_bytes(const ServerLimits& limits) { return limits.header_bytes + 8 * 1024; }

void apply_limits(RequestParser& parser, const ServerLimits& limits) {
    parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
    parser.body_limit(limits.body_bytes);
}

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

namespace {
std::size_t field_count(const Request& req) { return static_cast<std::size_t>(std::distance(req.begin(), req.end())); }
} // namespace

TrailerFilter::TrailerFilter(const Request& header_only) : m_fields(field_count(header_only)) {
    if (header_only.chunked()) m_header = header_only.base();
}

void TrailerFilter::apply(Request& req) const {
    if (m_header && field_count(req) != m_fields) req.base() = *m_header;
}

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

} // namespace statelab
