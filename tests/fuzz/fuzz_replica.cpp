// libFuzzer: a request to a node's /replica pages (replicated mode) from anyone on the machine.
// Whatever the bytes: the pages answer 200, 204, 400, 403, 404 or 405; a copy is stored only
// under a well-formed session id with the cluster's token, and what GET gives back is a session
// that parses.
#include "common/http_util.hpp"
#include "server/memory_store.hpp"
#include "server/replica_pages.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace statelab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static MemoryStore copies(std::chrono::seconds(60), MemoryStore::Clock::now, std::chrono::milliseconds(1000), 1000);
    static ReplicaPages pages(copies, "t0ken");
    http::request_parser<http::string_body> parser;
    parser.eager(true);
    parser.header_limit(8 * 1024);
    parser.body_limit(64 * 1024);
    error_code ec;
    parser.put(asio::buffer(data, size), ec);
    if (ec || !parser.is_done()) return 0;
    const Request req = parser.release();
    if (!ReplicaPages::is_replica_path(target_path(req.target()))) return 0;
    const Response res = pages.handle(req);
    switch (res.result_int()) {
    case 200:
        if (req.method() != http::verb::get) std::abort();
        try {
            session_from_json(res.body());
        } catch (...) {
            std::abort(); // a copy we stored but cannot give back
        }
        break;
    case 204:
        if (header_value(req, "X-Replication-Token") != "t0ken") std::abort();
        break;
    case 400: case 403: case 404: case 405: break;
    default: std::abort();
    }
    return 0;
}
