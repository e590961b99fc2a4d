#include "cluster/balancer_control.hpp"
#include "cluster/cluster_files.hpp"
#include "cluster/component_driver.hpp"
#include "cluster/readiness.hpp"

namespace statelab {

namespace {

std::filesystem::path our_program(const ClusterSpec& spec, const std::string& program) {
    const auto path = spec.bin_dir / program;
    if (!is_executable(path))
        throw ClusterError(program + " not found in '" + spec.bin_dir.string() +
                           "' (the cluster's bin_dir must hold the StateLab binaries)");
    return path;
}

std::filesystem::path package_program(const std::string& program, const std::string& hint) {
    auto path = find_in_path(program);
    if (!path) throw ClusterError(program + " not found: " + hint);
    return *path;
}

// Ours print `listening 127.0.0.1:<port>` and then answer `ready_path` with 200.
std::uint16_t wait_ours(ChildProcess& child, std::uint16_t port, const std::string& ready_path) {
    const std::uint16_t listening = wait_listening_line(child);
    if (port != 0 && listening != port)
        throw_not_ready(child, "it listens on port " + std::to_string(listening) + ", not " + std::to_string(port));
    wait_http_ok(child, listening, ready_path);
    return listening;
}

class BackendDriver final : public ComponentDriver {
public:
    void find_programs(const ClusterSpec& spec) override { our_program(spec, "statelab-backend"); }
    LaunchCommand command(const std::string& name, std::uint16_t port, const ClusterContext& cluster,
                          const std::vector<NodeEndpoint>&) const override {
        return backend_command(cluster.spec, cluster.shared, name, port);
    }
    std::uint16_t wait_ready(ChildProcess& child, std::uint16_t port, const ClusterContext&) const override {
        return wait_ours(child, port, "/healthz");
    }
};

// The primary, or (replica) a replica of the store launched as primary.
class RedisDriver final : public ComponentDriver {
public:
    explicit RedisDriver(bool replica) : m_replica(replica) {}
    void find_programs(const ClusterSpec&) override {
        m_program = package_program("redis-server", "install the redis-server package");
    }
    bool needs_assigned_port() const override { return true; }
    LaunchCommand command(const std::string& name, std::uint16_t port, const ClusterContext& cluster,
                          const std::vector<NodeEndpoint>&) const override {
        return redis_command(cluster.spec, m_program, name, port, cluster.redis_password,
                             m_replica ? cluster.shared.redis_port : 0);
    }
    std::uint16_t wait_ready(ChildProcess& child, std::uint16_t port, const ClusterContext& cluster) const override {
        wait_redis_pong(child, port, cluster.redis_password);
        return port;
    }

private:
    bool m_replica;
    std::filesystem::path m_program;
};

class SentinelDriver final : public ComponentDriver {
public:
    void find_programs(const ClusterSpec&) override {
        m_program = package_program("redis-sentinel", "install the redis-sentinel package (shared-store-ha needs it)");
    }
    bool needs_assigned_port() const override { return true; }
    LaunchCommand command(const std::string& name, std::uint16_t port, const ClusterContext& cluster,
                          const std::vector<NodeEndpoint>&) const override {
        return sentinel_command(cluster.spec, m_program, name, port, cluster.shared.redis_port, cluster.redis_password);
    }
    std::uint16_t wait_ready(ChildProcess& child, std::uint16_t port, const ClusterContext& cluster) const override {
        wait_redis_pong(child, port, cluster.redis_password);
        return port;
    }

private:
    std::filesystem::path m_program;
};

class BuiltinBalancerDriver final : public BalancerDriver {
public:
    void find_programs(const ClusterSpec& spec) override { our_program(spec, "statelab-balancer"); }
    LaunchCommand command(const std::string&, std::uint16_t port, const ClusterContext& cluster,
                          const std::vector<NodeEndpoint>& members) const override {
        return builtin_balancer_command(cluster.spec, cluster.shared, port, members);
    }
    // It answers /lb/status itself, so it is ready even when every node is down (a balancer
    // restart during an outage); /healthz would go through to a node.
    std::uint16_t wait_ready(ChildProcess& child, std::uint16_t port, const ClusterContext&) const override {
        return wait_ours(child, port, "/lb/status");
    }
    bool updates_live() const override { return true; }
    void add_member(std::uint16_t balancer_port, const NodeEndpoint& node, const ClusterContext& cluster) const override {
        register_backend(balancer_port, cluster.control_token, node.name, node.port);
    }
    void remove_member(std::uint16_t balancer_port, const std::string& node, const ClusterContext& cluster) const override {
        unregister_backend(balancer_port, cluster.control_token, node);
    }
};

class HaproxyDriver final : public BalancerDriver {
public:
    void find_programs(const ClusterSpec&) override {
        m_program = package_program("haproxy", "install the haproxy package (or use the builtin balancer)");
    }
    bool needs_assigned_port() const override { return true; }
    LaunchCommand command(const std::string&, std::uint16_t port, const ClusterContext& cluster,
                          const std::vector<NodeEndpoint>& members) const override {
        return haproxy_command(cluster.spec, m_program, port, members); // rewrites haproxy.cfg
    }
    // haproxy prints no listening line; any HTTP answer (even a 503 while every node is down)
    // shows it accepts and parses requests.
    std::uint16_t wait_ready(ChildProcess& child, std::uint16_t port, const ClusterContext&) const override {
        wait_http_answer(child, port);
        return port;
    }
    bool updates_live() const override { return false; } // restarted with a rewritten haproxy.cfg

private:
    std::filesystem::path m_program;
};

} // namespace

void BalancerDriver::add_member(std::uint16_t, const NodeEndpoint&, const ClusterContext&) const {}
void BalancerDriver::remove_member(std::uint16_t, const std::string&, const ClusterContext&) const {}

std::unique_ptr<ComponentDriver> backend_driver() { return std::make_unique<BackendDriver>(); }
std::unique_ptr<ComponentDriver> redis_driver(bool replica) { return std::make_unique<RedisDriver>(replica); }
std::unique_ptr<ComponentDriver> sentinel_driver() { return std::make_unique<SentinelDriver>(); }

std::unique_ptr<BalancerDriver> balancer_driver(BalancerKind kind) {
    switch (kind) {
    case BalancerKind::builtin: return std::make_unique<BuiltinBalancerDriver>();
    case BalancerKind::haproxy: return std::make_unique<HaproxyDriver>();
    }
    throw ClusterError("unknown balancer");
}

} // namespace statelab
