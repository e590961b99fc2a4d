#pragma once
// Live changes to the builtin balancer's backend table through its control endpoints
// (POST/DELETE /lb/backends). haproxy has no such endpoint here: the supervisor rewrites
// haproxy.cfg and restarts it instead.
#include <cstdint>
#include <string>

namespace statelab {

// POST /lb/backends?name=N&address=127.0.0.1:P. A 409 (already registered) counts as done.
void register_backend(std::uint16_t balancer_port, const std::string& token, const std::string& name, std::uint16_t port);
// DELETE /lb/backends?name=N. A 404 (not registered) counts as done.
void unregister_backend(std::uint16_t balancer_port, const std::string& token, const std::string& name);

} // namespace statelab
