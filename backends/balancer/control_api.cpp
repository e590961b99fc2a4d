#include "balancer/control_api.hpp"

#include "common/http_util.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace statelab {

ControlApi::ControlApi(BackendTable& backends, Router& router, HealthChecker& health, std::string token)
    : m_backends(backends), m_router(router), m_health(health), m_token(std::move(token)) {}

Response ControlApi::handle(const Request& req) {
    const std::string_view path = target_path(req.target());
    if (path == "/lb/status" && req.method() == http::verb::get)
        return make_response(req, http::status::ok, status_json(), "application/json");
    if (path == "/lb/backends" && !m_token.empty() &&
        !constant_time_equal(header_value(req, "X-Control-Token"), m_token))
        return make_response(req, http::status::forbidden, "changing the backends needs the balancer's control token\n");
    if (path == "/lb/backends" && req.method() == http::verb::post) return add_backend(req);
    if (path == "/lb/backends" && req.method() == http::verb::delete_) return remove_backend(req);
    return make_response(req, http::status::not_found,
                         "balancer endpoints: GET /lb/status, POST|DELETE /lb/backends\n");
}

Response ControlApi::add_backend(const Request& req) {
    auto name = query_param(req.target(), "name");
    auto address = query_param(req.target(), "address");
    if (!name || name->empty() || !address)
        return make_response(req, http::status::bad_request, "add needs ?name=NAME&address=127.0.0.1:PORT\n");
    // The name goes into headers and the routing cookie: the node-name charset, nothing else
    // (a CR LF or a `; Domain=` in it once came back in every pinned response).
    if (!is_node_name(*name))
        return make_response(req, http::status::bad_request,
                             "a backend name is 1..64 of A-Z a-z 0-9 . _ - (starting with a letter or digit)\n");
    auto colon = address->rfind(':');
    error_code ec;
    auto ip = asio::ip::make_address(address->substr(0, colon == std::string::npos ? 0 : colon), ec);
    const auto port = colon == std::string::npos ? std::nullopt : parse_port(std::string_view(*address).substr(colon + 1));
    if (ec || !ip.is_loopback() || !port || address->size() > 64)
        return make_response(req, http::status::bad_request, "address must be a loopback IP:PORT (port 1..65535)\n");
    auto index = m_backends.add(*name, {ip, *port});
    if (!index)
        return make_response(req, http::status::conflict, "a backend named '" + *name + "' exists (or the table is full)\n");
    m_router.backend_added(*index);
    m_health.watch(*index);
    std::cerr << "statelab-balancer: added " << *name << " at " << *address << "\n";
    return make_response(req, http::status::ok, status_json(), "application/json");
}

Response ControlApi::remove_backend(const Request& req) {
    auto name = query_param(req.target(), "name");
    if (!name || name->empty()) return make_response(req, http::status::bad_request, "remove needs ?name=NAME\n");
    auto index = m_backends.remove(*name);
    if (!index) return make_response(req, http::status::not_found, "no backend named '" + *name + "'\n");
    m_router.backend_removed(*index);
    std::cerr << "statelab-balancer: removed " << *name << "\n";
    return make_response(req, http::status::ok, status_json(), "application/json");
}

std::string ControlApi::status_json() const {
    nlohmann::ordered_json backends = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < m_backends.size(); ++i) {
        const Backend& b = m_backends.at(i);
        if (b.removed.load()) continue;
        backends.push_back({{"name", b.name},
                            {"address", b.endpoint.address().to_string() + ":" + std::to_string(b.endpoint.port())},
                            {"state", b.up.load() ? "up" : "down"},
                            {"reason", b.reason()},
                            {"changed_ms_ago", b.changed_ms_ago()},
                            {"active", b.active.load()},
                            {"requests", b.requests.load()},
                            {"failures", b.failures.load()},
                            {"redispatched", b.redispatched.load()}});
    }
    const RouterOptions& options = m_router.options();
    nlohmann::ordered_json status{{"policy", policy_name(options.policy)},
                                  {"failover", options.failover == Failover::none ? "none" : "redispatch"},
                                  {"backends", backends},
                                  {"accept_failures", m_accept_failures ? m_accept_failures() : 0}};
    return status.dump();
}

} // namespace statelab
