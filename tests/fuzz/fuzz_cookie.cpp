// libFuzzer: Cookie headers as a client sends them, to both servers' cookie code. Whatever the
// bytes: a cookie the balancer strips (SRV) is gone from every Cookie header afterwards, the
// others are still there with their values, and the functions return.
#include "common/cookies.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace statelab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Up to three Cookie headers, split at '\n' (a header value cannot hold one).
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    Request req{http::verb::get, "/", 11};
    std::size_t start = 0;
    for (int header = 0; header < 3 && start <= input.size(); ++header) {
        const std::size_t end = std::min(input.find('\n', start), input.size());
        const std::string_view value = input.substr(start, end - start);
        if (value.find('\r') != std::string_view::npos || value.find('\0') != std::string_view::npos) return 0;
        if (value.find_first_not_of(" \t") != std::string_view::npos) req.insert(http::field::cookie, value);
        start = end + 1;
    }
    const auto sid = request_cookie(req, "SID");
    const std::string sid_before = sid ? std::string(*sid) : std::string("<none>");
    strip_request_cookie(req, "SRV");
    if (request_cookie(req, "SRV")) std::abort(); // the balancer's own cookie must not reach a node
    const auto sid_after = request_cookie(req, "SID");
    if ((sid_after ? std::string(*sid_after) : std::string("<none>")) != sid_before) std::abort();
    for (auto it = req.find(http::field::cookie); it != req.end() && it->name() == http::field::cookie; ++it)
        if (it->value().empty()) std::abort(); // an emptied header is dropped, not sent empty
    (void)session_cookie("SID", input.substr(0, 64));
    return 0;
}
