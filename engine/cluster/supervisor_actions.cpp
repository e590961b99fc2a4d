// Supervisor::apply: the node actions of DESIGN.md ("Processes") on node-N, balancer and redis.
#include "cluster/supervisor_impl.hpp"

#include <signal.h>

#include <algorithm>

namespace statelab {
namespace {

std::string state_text(ProcessState state) { return process_state_name(state); }

} // namespace

std::string Supervisor::Impl::apply_locked(Action action, const std::string& target) {
    const std::string verb = action_name(action);
    if (!acts_on_process(action)) throw ClusterError("'" + verb + "' changes the traffic, not a process");
    {
        std::lock_guard lock(state_mutex);
        if (!running) throw ClusterError("cannot " + verb + ": the cluster is not running");
    }
    if (action == Action::add) return add_node();

    ManagedProcess* found = find(target);
    if (!found)
        throw ClusterError("unknown target '" + target + "' (processes: " + process_names() + ")");
    ManagedProcess& process = *found;
    const bool running_now = alive(process); // also folds a death we had not noticed yet into state
    const ProcessState state = [&] {
        std::lock_guard lock(state_mutex);
        return process.state;
    }();
    auto impossible = [&](const std::string& why) {
        return ClusterError("cannot " + verb + " " + process.name + ": " + why);
    };

    if (action == Action::kill) {
        if (!running_now) throw impossible("it is not running (" + state_text(state) + ")");
        kill_and_wait(process, ProcessState::down);
    } else if (action == Action::stop) {
        if (!running_now) throw impossible("it is not running (" + state_text(state) + ")");
        process.child->signal(SIGTERM);
        process.child->signal(SIGCONT); // a paused process must wake up to drain
        set_state(process, ProcessState::draining); // statuses() shows stopped once it exits
    } else if (action == Action::pause) {
        if (!running_now || state == ProcessState::paused)
            throw impossible("it is not running (" + state_text(state) + ")");
        process.child->signal(SIGSTOP);
        process.child->wait_stopped(std::chrono::seconds(1));
        set_state(process, ProcessState::paused);
    } else if (action == Action::resume) {
        if (!running_now || state != ProcessState::paused)
            throw impossible("it is not paused (" + state_text(state) + ")");
        process.child->signal(SIGCONT);
        set_state(process, ProcessState::up);
    } else if (action == Action::restart) {
        if (running_now) kill_and_wait(process, ProcessState::down);
        start(process); // same port: the balancer's table (or haproxy.cfg) stays valid
        if (process.removed) {
            // Restarting a removed node brings it back into rotation.
            {
                std::lock_guard lock(state_mutex);
                process.removed = false;
            }
            balancer_add(process);
        }
    } else if (action == Action::remove) {
        if (process.kind != ProcessKind::backend)
            throw impossible("remove takes a node (node-N); stop or kill it instead");
        if (process.removed) throw impossible("it was already removed");
        remove_node(process);
    }
    return process.name;
}

std::string Supervisor::Impl::add_node() {
    int number = 0, in_cluster = 0;
    {
        std::lock_guard lock(state_mutex);
        for (const auto& process : processes) {
            number = std::max(number, process->node_number);
            in_cluster += process->kind == ProcessKind::backend && !process->removed;
        }
    }
    // The same cap as a scenario's `nodes`: `add` forty times does not make 43 servers.
    if (in_cluster >= max_nodes)
        throw ClusterError("cannot add: the cluster has " + std::to_string(in_cluster) + " app servers, the most it may have (" +
                           std::to_string(max_nodes) + ")");
    ++number;
    auto& node = add_process("node-" + std::to_string(number), ProcessKind::backend, 0, number);
    start(node); // on failure it stays listed as failed, out of the balancer
    balancer_add(node);
    return node.name;
}

void Supervisor::Impl::remove_node(ManagedProcess& node) {
    {
        std::lock_guard lock(state_mutex);
        node.removed = true;
    }
    // Out of rotation first, so no new request is routed to a node that is about to drain.
    balancer_remove(node);
    if (alive(node)) {
        node.child->signal(SIGTERM);
        node.child->signal(SIGCONT);
        set_state(node, ProcessState::draining);
    } else {
        set_state(node, ProcessState::stopped);
    }
}

void Supervisor::Impl::balancer_add(const ManagedProcess& node) {
    ManagedProcess* lb = balancer();
    // A balancer that is down or paused learns the node set when it is next (re)started.
    if (!lb || !alive(*lb) || lb->state != ProcessState::up) return;
    if (balancer_driver->updates_live()) {
        balancer_driver->add_member(lb->port, {node.name, node.port}, cluster);
    } else {
        kill_and_wait(*lb, ProcessState::down);
        start(*lb); // its command is made with the new node, same port
    }
}

void Supervisor::Impl::balancer_remove(const ManagedProcess& node) {
    ManagedProcess* lb = balancer();
    if (!lb || !alive(*lb) || lb->state != ProcessState::up) return;
    if (balancer_driver->updates_live()) {
        balancer_driver->remove_member(lb->port, node.name, cluster);
    } else {
        kill_and_wait(*lb, ProcessState::down);
        start(*lb); // its command is made without the node, same port
    }
}

} // namespace statelab
