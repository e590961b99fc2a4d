// libFuzzer: a session token cookie as a client may forge it. verify() returns (no crash, no
// leak); anything it accepts is exactly what sign() makes for that payload (one spelling per
// token), and what we sign always verifies.
#include "server/token_codec.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace statelab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const TokenCodec codec("fuzzing-key-0123456789abcdef");
    const std::string input(reinterpret_cast<const char*>(data), size);
    if (auto payload = codec.verify(input)) {
        if (codec.sign(*payload) != input) std::abort(); // a second spelling was accepted
    }
    const std::string token = codec.sign(input);
    const auto back = codec.verify(token);
    if (!back || *back != input) std::abort();
    return 0;
}
