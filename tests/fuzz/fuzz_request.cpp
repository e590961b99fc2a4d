// libFuzzer: bytes on a connection to either server (both read requests the same way), read
// exactly as the connection loop reads them — same buffer bound, same parser limits, header
// first, framing decided before the body — from a stream that hands them over in pieces of
// fuzzer-chosen sizes. Whatever the bytes: every request is either accepted within the limits
// and framed as RFC 9112 says, or refused with 400, 413, 431 or 501; nothing grows past its bound.
#include "common/request_framing.hpp"
#include "common/text_checks.hpp"

#include <boost/asio/error.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace statelab;

namespace {

// A SyncReadStream over the input: each read_some returns at most the next piece's size.
class PiecewiseStream {
public:
    PiecewiseStream(std::string_view bytes, std::uint8_t piece_seed) : m_bytes(bytes), m_seed(piece_seed) {}

    template <class MutableBuffers> std::size_t read_some(const MutableBuffers& buffers, error_code& ec) {
        if (m_at == m_bytes.size()) {
            ec = asio::error::eof;
            return 0;
        }
        ec = {};
        // 1..256 bytes per read, varying, so a line or a chunk header is split anywhere.
        m_seed = static_cast<std::uint8_t>(m_seed * 73 + 41);
        const std::size_t piece = std::min<std::size_t>(m_bytes.size() - m_at, 1 + m_seed);
        const std::size_t n = asio::buffer_copy(buffers, asio::buffer(m_bytes.data() + m_at, piece));
        m_at += n;
        return n;
    }
    template <class MutableBuffers> std::size_t read_some(const MutableBuffers& buffers) {
        error_code ec;
        const std::size_t n = read_some(buffers, ec);
        if (ec) throw boost::system::system_error(ec);
        return n;
    }

private:
    std::string_view m_bytes;
    std::size_t m_at = 0;
    std::uint8_t m_seed;
};

void check_accepted(const Request& req, const ServerLimits& limits) {
    if (req.body().size() > limits.body_bytes) std::abort();
    const auto hosts = req.count(http::field::host);
    if (hosts > 1 || (hosts == 0 && req.version() >= 11)) std::abort();
    if (req.count(http::field::transfer_encoding) > 1) std::abort();
    // What the handlers do first with any request: the target's query is checked and decoded.
    const std::string_view target = req.target();
    if (query_is_valid(target))
        if (auto user = query_param(target, "user"); user && !is_valid_utf8(*user)) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    ServerLimits limits;
    limits.header_bytes = 2048; // small limits, so the fuzzer reaches them
    limits.body_bytes = 4096;
    PiecewiseStream stream(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), data[0]);
    beast::flat_buffer buffer(read_buffer_bytes(limits));
    for (int requests = 0; requests < 64; ++requests) { // a kept-alive connection
        RequestParser parser;
        apply_limits(parser, limits);
        error_code ec;
        http::read_header(stream, buffer, parser, ec);
        std::optional<Response> refusal = ec ? std::nullopt : framing_refusal(parser.get());
        const TrailerFilter trailers(parser.get());
        if (!ec && !refusal) http::read(stream, buffer, parser, ec);
        if (ec && !refusal) refusal = read_refusal(ec, limits);
        if (buffer.size() > read_buffer_bytes(limits)) std::abort();
        if (refusal) {
            const unsigned status = refusal->result_int();
            if (status != 400 && status != 413 && status != 431 && status != 501) std::abort();
            return 0; // the server answers and closes
        }
        if (ec) return 0; // the client went away
        if (!parser.is_done()) std::abort();
        Request request = parser.release();
        trailers.apply(request);
        check_accepted(request, limits);
        if (!request.keep_alive()) return 0;
    }
    return 0;
}
