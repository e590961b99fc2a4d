// libFuzzer: a node's /metrics body as the engine reads it (a node is a process the lab does
// not control once it misbehaves). Whatever the bytes: the parser returns, and every figure is
// either -1 (not reported) or a count (>= 0) that appears as a sample value in the text.
#include "metrics/server_report.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace statelab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const ServerReport r = parse_server_report(text);
    for (std::int64_t v : {r.sessions_active, r.rss_bytes, r.hits, r.misses, r.requests}) {
        if (v < -1) std::abort();
        if (v >= 0 && text.find(std::to_string(v)) == std::string_view::npos) std::abort(); // not made up
    }
    return 0;
}
