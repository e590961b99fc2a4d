#pragma once
// The reverse proxy: picks a backend per request, forwards over a pooled keep-alive
// connection, and retries where that is safe.
#include "balancer/backend.hpp"
#include "balancer/router.hpp"

#include <chrono>

namespace statelab {

struct ProxyOptions {
    // Two seconds, as the HAProxy the lab writes: a SYN a full listen queue dropped is sent again
    // after 1 s, and at 1 s exactly a busy node's connects timed out.
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds server_timeout{10'000}; // waiting for a backend's response
};

// A request the backend may have received can be sent again only if applying it twice does no
// harm: an idempotent method, or an Idempotency-Key the backend deduplicates on.
bool replay_is_safe(const Request& req);

class Proxy {
public:
    Proxy(const BackendTable& backends, Router& router, ProxyOptions options);

    awaitable<Response> handle(Request& req, const Peer& peer);

private:
    enum class Outcome { answered, refused, failed };
    struct Attempt {
        Outcome outcome = Outcome::failed;
        Response response;
        std::string error;
        bool timed_out = false; // the error is a timeout (connecting, or waiting for the answer)
    };
    // One try against backend `index`: a pooled connection first (checked open before use), a
    // fresh one after it failed only when replay_is_safe().
    awaitable<Attempt> forward(std::size_t index, Request& req);
    awaitable<Attempt> exchange(std::size_t index, beast::tcp_stream& stream, Request& req);

    const BackendTable& m_backends;
    Router& m_router;
    ProxyOptions m_options;
};

} // namespace statelab
