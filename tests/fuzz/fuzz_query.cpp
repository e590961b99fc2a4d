// libFuzzer: a request target as a client sends it. Whatever the bytes, the checks return; a
// target they accept decodes to values that are UTF-8 and go into JSON without an exception
// (the bug that closed connections with no answer); names and ports obey their rules.
#include "common/text_checks.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace statelab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view target(reinterpret_cast<const char*>(data), size);
    if (query_is_valid(target)) {
        for (const char* key : {"user", "item", "name", "address"}) {
            if (auto value = query_param(target, key)) {
                if (!is_valid_utf8(*value)) std::abort();
                (void)nlohmann::json{{"v", *value}}.dump(); // throws on invalid UTF-8
            }
        }
    }
    if (is_node_name(target)) {
        for (char c : target)
            if (c == '\r' || c == '\n' || c == ';' || c == ' ' || c == '=') std::abort();
    }
    if (auto port = parse_port(target); port && *port == 0) std::abort();
    (void)constant_time_equal(target, "token");
    return 0;
}
