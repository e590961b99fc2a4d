#pragma once
// The balancer's own endpoints under /lb/: status for people and tools, and the control calls
// the lab's supervisor uses to add and remove app servers without restarting the balancer.
//   GET    /lb/status                                   -> JSON: policy, each backend's state
//   POST   /lb/backends?name=node-4&address=127.0.0.1:P -> 200; 409 name taken; 400 bad input
//   DELETE /lb/backends?name=node-4                     -> 200; 404 unknown name
// With a control token (--control-token-file, as the lab's engine starts it), POST and DELETE
// need `X-Control-Token: <token>` (403 otherwise): only who started the balancer changes it.
#include "balancer/backend.hpp"
#include "balancer/health_checker.hpp"
#include "balancer/router.hpp"

#include <cstdint>
#include <functional>

namespace statelab {

class ControlApi {
public:
    // `token` empty: the control calls are open to anyone on 127.0.0.1 (a warning at start-up).
    ControlApi(BackendTable& backends, Router& router, HealthChecker& health, std::string token = {});

    static bool owns(std::string_view path) { return path.starts_with("/lb/"); }
    Response handle(const Request& req);
    std::string status_json() const;
    // Where the status reads the server's failed accepts (set once the server exists).
    void count_accept_failures(std::function<std::uint64_t()> read) { m_accept_failures = std::move(read); }

private:
    Response add_backend(const Request& req);
    Response remove_backend(const Request& req);

    BackendTable& m_backends;
    Router& m_router;
    HealthChecker& m_health;
    std::string m_token;
    std::function<std::uint64_t()> m_accept_failures;
};

} // namespace statelab
