#include "cluster/balancer_control.hpp"

#include "cluster/probes.hpp"
#include "cluster/supervisor.hpp"

namespace statelab {
namespace {

constexpr std::chrono::milliseconds control_timeout{2000};

void call(std::uint16_t balancer_port, const std::string& token, const char* method, const std::string& target,
          int tolerated_status, const std::string& what) {
    std::string error;
    auto reply = http_request(balancer_port, method, target, control_timeout, &error, "X-Control-Token: " + token + "\r\n");
    if (!reply) throw ClusterError("balancer: cannot " + what + ": " + error);
    if (reply->status != 200 && reply->status != tolerated_status) {
        std::string body = reply->body;
        while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
        throw ClusterError("balancer: cannot " + what + ": HTTP " + std::to_string(reply->status) +
                           (body.empty() ? "" : " " + body));
    }
}

} // namespace

void register_backend(std::uint16_t balancer_port, const std::string& token, const std::string& name, std::uint16_t port) {
    call(balancer_port, token, "POST",
         "/lb/backends?name=" + name + "&address=127.0.0.1:" + std::to_string(port), 409,
         "add " + name);
}

void unregister_backend(std::uint16_t balancer_port, const std::string& token, const std::string& name) {
    call(balancer_port, token, "DELETE", "/lb/backends?name=" + name, 404, "remove " + name);
}

} // namespace statelab
