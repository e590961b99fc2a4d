// The Supervisor's public face: launch, shutdown, statuses. Actions are in
// supervisor_actions.cpp, single-process start/kill in supervisor_processes.cpp.
#include "cluster/supervisor.hpp"

#include "cluster/cluster_files.hpp"
#include "cluster/cluster_plan.hpp"
#include "cluster/readiness.hpp"
#include "cluster/supervisor_impl.hpp"
#include "lab_files.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <thread>

namespace statelab {

namespace {
constexpr std::chrono::milliseconds stop_grace{2000}; // SIGTERM to SIGKILL
} // namespace

Supervisor::Supervisor(ClusterSpec spec) : m_impl(std::make_unique<Impl>(std::move(spec))) {}

Supervisor::~Supervisor() {
    try {
        shutdown();
    } catch (...) {
        // A destructor must not throw; every child has been SIGKILLed and reaped by now anyway.
    }
}

void Supervisor::launch(const std::function<void(const std::string&)>& progress) {
    std::lock_guard action(m_impl->action_mutex);
    {
        std::lock_guard lock(m_impl->state_mutex);
        if (m_impl->running) throw ClusterError("launch: the cluster is already running");
    }
    m_impl->check_programs();
    try {
        m_impl->launch_all(progress);
    } catch (...) {
        m_impl->stop_all(); // a half-started cluster is worse than none
        throw;
    }
}

void Supervisor::shutdown() {
    std::lock_guard action(m_impl->action_mutex);
    m_impl->stop_all();
    // The secrets outlive no process that needed them (the logs stay: they are the run's story).
    std::error_code ec;
    const SharedResources& shared = m_impl->cluster.shared;
    for (const auto& secret : {shared.redis_password_file, shared.token_secret_file, shared.control_token_file})
        if (!secret.empty()) std::filesystem::remove(secret, ec);
}

std::string Supervisor::apply(Action action, const std::string& target) {
    std::lock_guard lock(m_impl->action_mutex);
    return m_impl->apply_locked(action, target);
}

std::vector<NodeStatus> Supervisor::statuses() const {
    std::lock_guard lock(m_impl->state_mutex);
    std::vector<ManagedProcess*> sorted;
    for (auto& process : m_impl->processes) {
        m_impl->refresh_locked(*process); // a node that died by itself shows down
        sorted.push_back(process.get());
    }
    std::stable_sort(sorted.begin(), sorted.end(), listed_before);
    std::vector<NodeStatus> result;
    for (auto* process : sorted) {
        const bool live = process->child && !process->child->reaped();
        result.push_back({process->name, process->kind, process->state,
                          live ? static_cast<int>(process->child->pid()) : 0, process->port, process->removed});
    }
    return result;
}

std::uint16_t Supervisor::balancer_port() const {
    auto* balancer = m_impl->balancer();
    std::lock_guard lock(m_impl->state_mutex);
    return balancer ? balancer->port : 0;
}

std::string Supervisor::base_url() const {
    return "http://127.0.0.1:" + std::to_string(balancer_port());
}

const ClusterSpec& Supervisor::spec() const { return m_impl->cluster.spec; }

std::string Supervisor::store_password() const { return m_impl->cluster.redis_password; }

ComponentDriver& Supervisor::Impl::driver(ProcessKind kind) {
    switch (kind) {
    case ProcessKind::backend: return *backend_driver;
    case ProcessKind::balancer: return *balancer_driver;
    case ProcessKind::redis: return *redis_driver;
    case ProcessKind::redis_replica: return *redis_replica_driver;
    case ProcessKind::sentinel: return *sentinel_driver;
    }
    throw ClusterError("no driver for this kind of process");
}

void Supervisor::Impl::check_programs() {
    ClusterSpec& spec = cluster.spec;
    if (spec.nodes < 1) throw ClusterError("a cluster needs at least 1 node, got " + std::to_string(spec.nodes));
    if (spec.bin_dir.empty()) spec.bin_dir = executable_dir();
    backend_driver = statelab::backend_driver();
    redis_driver = statelab::redis_driver();
    redis_replica_driver = statelab::redis_driver(true);
    sentinel_driver = statelab::sentinel_driver();
    balancer_driver = statelab::balancer_driver(spec.balancer);
    std::set<ProcessKind> kinds;
    for (const PlannedProcess& planned : plan_processes(spec)) kinds.insert(planned.kind);
    for (ProcessKind kind : kinds) driver(kind).find_programs(spec);
}

void Supervisor::Impl::launch_all(const std::function<void(const std::string&)>& progress) {
    auto say = [&](const std::string& message) {
        if (progress) progress(message);
    };
    ClusterSpec& spec = cluster.spec;
    spec.run_dir = prepare_run_dir(spec.run_dir);
    {
        std::lock_guard lock(state_mutex);
        processes.clear(); // a relaunch after shutdown starts from a clean table
        running = true;
    }
    const std::vector<PlannedProcess> plan = plan_processes(spec);
    SharedResources& shared = cluster.shared;
    shared = {};
    if (std::any_of(plan.begin(), plan.end(), [](auto& p) { return p.kind == ProcessKind::redis; })) {
        cluster.redis_password = random_hex(24);
        shared.redis_password_file = spec.run_dir / "redis.password";
        write_private_file(shared.redis_password_file, cluster.redis_password);
    }
    if (balancer_driver->updates_live()) {
        // Only the supervisor may change the balancer's backends (its control API is on a
        // loopback port anyone on the machine can reach).
        cluster.control_token = random_hex(24);
        shared.control_token_file = spec.run_dir / "balancer.token";
        write_private_file(shared.control_token_file, cluster.control_token);
    }
    if (spec.mode == Mode::replicated) {
        // The nodes' /replica pages answer only each other; the peers file says where each is.
        shared.replication_token_file = spec.run_dir / "replication.token";
        write_private_file(shared.replication_token_file, random_hex(24));
        shared.peers_file = spec.run_dir / "replication.peers";
        write_private_file(shared.peers_file, "");
    }
    if (spec.mode == Mode::client_token) {
        // One HMAC key for every node, so a token issued by node-1 verifies on node-2.
        shared.token_secret_file = spec.run_dir / "token.secret";
        write_private_file(shared.token_secret_file, random_hex(32));
    }
    bool sentinels_settled = false;
    for (const PlannedProcess& planned : plan) {
        if (!sentinels_settled && !shared.sentinel_ports.empty() && planned.kind == ProcessKind::backend) {
            // Before the first node takes a session: a primary that died now could not be failed over.
            say("waiting for the sentinels to know each other and the replica");
            wait_sentinels_settled(shared.sentinel_ports, cluster.redis_password, sentinel_master_name);
            sentinels_settled = true;
        }
        const std::uint16_t port = driver(planned.kind).needs_assigned_port() ? free_loopback_port() : 0;
        if (planned.kind == ProcessKind::redis) shared.redis_port = port; // the nodes' --redis
        if (planned.kind == ProcessKind::sentinel) shared.sentinel_ports.push_back(port);
        auto& process = add_process(planned.name, planned.kind, port, planned.node_number);
        if (planned.kind == ProcessKind::balancer) say("starting the " + std::string(balancer_name(spec.balancer)) + " balancer");
        else say("starting " + process.name + (port ? " on 127.0.0.1:" + std::to_string(port) : ""));
        start(process);
        if (planned.kind == ProcessKind::balancer) say("cluster ready at http://127.0.0.1:" + std::to_string(process.port));
        else say(process.name + " up on 127.0.0.1:" + std::to_string(process.port));
    }
}

void Supervisor::Impl::stop_all() {
    std::vector<ChildProcess*> children;
    {
        std::lock_guard lock(state_mutex);
        shutting_down = true; // from here on only this function reaps: see the group kill below
        for (auto& process : processes)
            if (process->child && !process->child->reaped()) children.push_back(process->child.get());
    }
    for (auto* child : children) {
        child->signal(SIGTERM);
        child->signal(SIGCONT); // a paused child cannot act on SIGTERM
    }
    const auto deadline = std::chrono::steady_clock::now() + stop_grace;
    auto all_exited = [&] {
        return std::all_of(children.begin(), children.end(), [](auto* c) { return c->has_exited(); });
    };
    while (!all_exited() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));

    // Nothing is reaped yet, so each group still has a member (a zombie at least) and its id
    // cannot belong to a stranger: killing the group catches anything our children started.
    std::set<pid_t> groups;
    for (auto* child : children) groups.insert(child->pgid());
    for (pid_t group : groups)
        if (group > 1 && group != ::getpgrp()) ::kill(-group, SIGKILL);
    for (auto* child : children) {
        child->signal(SIGKILL);
        child->wait_exit(std::chrono::seconds(5));
    }

    std::lock_guard lock(state_mutex);
    for (auto& process : processes)
        if (process->state != ProcessState::failed) process->state = ProcessState::stopped;
    shutting_down = false;
    running = false;
}

std::filesystem::path executable_dir() {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) throw ClusterError("cannot find the running executable (/proc/self/exe): " + ec.message());
    return self.parent_path();
}

} // namespace statelab
