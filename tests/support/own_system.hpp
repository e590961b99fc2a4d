#pragma once
// "Somebody else's system" for the target tests: app servers with names the lab never gives
// (web-a, web-b, ...) behind a statelab-balancer with the cookie policy, started as a user would
// start them by hand. Killed with the object.
#include "support/child_process.hpp"

#include <memory>
#include <vector>

namespace statelab::test {

struct OwnSystem {
    std::vector<std::unique_ptr<ChildProcess>> nodes; // web-a, web-b, ...
    std::unique_ptr<ChildProcess> balancer;
    QString error;

    bool start(int node_count = 3);
    quint16 port() const { return balancer ? balancer->port() : 0; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(port()); }
};

} // namespace statelab::test
