// The supervisor's process table and the start/kill of a single process.
#include "cluster/cluster_files.hpp"
#include "cluster/readiness.hpp"
#include "cluster/supervisor_impl.hpp"

#include <signal.h>

#include <algorithm>

namespace statelab {

bool listed_before(const ManagedProcess* a, const ManagedProcess* b) {
    auto rank = [](const ManagedProcess* p) {
        const int kind = p->kind == ProcessKind::backend ? 0 : p->kind == ProcessKind::balancer ? 1 : 2;
        return std::pair(kind, p->node_number);
    };
    return rank(a) < rank(b);
}

ManagedProcess& Supervisor::Impl::add_process(std::string name, ProcessKind kind,
                                              std::uint16_t port, int node_number) {
    auto process = std::make_unique<ManagedProcess>();
    process->name = std::move(name);
    process->kind = kind;
    process->port = port;
    process->node_number = node_number;
    std::lock_guard lock(state_mutex);
    processes.push_back(std::move(process));
    return *processes.back();
}

ManagedProcess* Supervisor::Impl::find(const std::string& name) {
    std::lock_guard lock(state_mutex);
    for (auto& process : processes)
        if (process->name == name) return process.get();
    return nullptr;
}

ManagedProcess* Supervisor::Impl::balancer() { return find("balancer"); }

std::string Supervisor::Impl::process_names() const {
    std::lock_guard lock(state_mutex);
    std::vector<const ManagedProcess*> sorted;
    for (const auto& process : processes) sorted.push_back(process.get());
    std::stable_sort(sorted.begin(), sorted.end(), listed_before);
    std::string names;
    for (const auto* process : sorted) names += (names.empty() ? "" : ", ") + process->name;
    return names.empty() ? "none" : names;
}

void Supervisor::Impl::set_state(ManagedProcess& process, ProcessState state) {
    std::lock_guard lock(state_mutex);
    process.state = state;
}

void Supervisor::Impl::refresh_locked(ManagedProcess& process) {
    if (shutting_down || !process.child || process.child->reaped()) return;
    if (!process.child->poll_exit()) return;
    switch (process.state) {
    case ProcessState::draining:
    case ProcessState::stopped: process.state = ProcessState::stopped; break;
    case ProcessState::failed: break;
    default: process.state = ProcessState::down; break; // died by itself, or was killed
    }
}

bool Supervisor::Impl::alive(ManagedProcess& process) {
    std::lock_guard lock(state_mutex);
    refresh_locked(process);
    return process.child && !process.child->reaped();
}

std::vector<NodeEndpoint> Supervisor::Impl::balancer_members() {
    std::lock_guard lock(state_mutex);
    std::vector<const ManagedProcess*> nodes;
    for (const auto& process : processes)
        if (process->kind == ProcessKind::backend && !process->removed && process->port != 0)
            nodes.push_back(process.get());
    std::sort(nodes.begin(), nodes.end(),
              [](auto* a, auto* b) { return a->node_number < b->node_number; });
    std::vector<NodeEndpoint> members;
    for (const auto* node : nodes) members.push_back({node->name, node->port});
    return members;
}

void Supervisor::Impl::publish_peers() {
    const auto& file = cluster.shared.peers_file;
    if (file.empty()) return;
    std::string lines;
    for (const auto& node : balancer_members()) lines += node.name + " " + std::to_string(node.port) + "\n";
    // Whole or not at all: a node may read it at any moment.
    const auto next = file.string() + ".next";
    write_private_file(next, lines);
    std::filesystem::rename(next, file);
}

void Supervisor::Impl::start(ManagedProcess& process) {
    // Join the cluster's process group while any member (even a zombie) still holds it.
    pid_t group = 0;
    {
        std::lock_guard lock(state_mutex);
        for (const auto& other : processes)
            if (other->child && !other->child->reaped()) group = other->child->pgid();
    }
    std::unique_ptr<ChildProcess> child;
    try {
        const std::vector<NodeEndpoint> members =
            process.kind == ProcessKind::balancer ? balancer_members() : std::vector<NodeEndpoint>{};
        const LaunchCommand command = driver(process.kind).command(process.name, process.port, cluster, members);
        spawner.run([&] { child = ChildProcess::spawn(command, group); });
    } catch (...) {
        set_state(process, ProcessState::failed);
        throw;
    }
    ChildProcess& started = *child;
    std::unique_ptr<ChildProcess> previous;
    {
        std::lock_guard lock(state_mutex);
        previous = std::exchange(process.child, std::move(child));
        process.state = ProcessState::starting;
    }
    previous.reset(); // outside the lock: joins the old run's stdout pump
    try {
        const std::uint16_t port = driver(process.kind).wait_ready(started, process.port, cluster);
        std::lock_guard lock(state_mutex);
        process.port = port;
    } catch (...) {
        kill_and_wait(process, ProcessState::failed);
        throw;
    }
    set_state(process, ProcessState::up);
    if (process.kind == ProcessKind::backend) publish_peers(); // its port, for the others' copies
}

void Supervisor::Impl::kill_and_wait(ManagedProcess& process, ProcessState after) {
    if (process.child && process.child->signal(SIGKILL)) process.child->wait_exit(std::chrono::seconds(5));
    std::lock_guard lock(state_mutex);
    if (process.child) process.child->poll_exit();
    process.state = after;
}

} // namespace statelab
