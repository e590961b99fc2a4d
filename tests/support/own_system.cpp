#include "support/own_system.hpp"

namespace statelab::test {

bool OwnSystem::start(int node_count) {
    QStringList backends;
    for (int i = 0; i < node_count; ++i) {
        const QString name = QStringLiteral("web-") + QChar('a' + i);
        nodes.push_back(std::make_unique<ChildProcess>(name, statelab_program("statelab-backend"),
                                                       QStringList{"--name", name, "--port", "0", "--store", "memory"}));
        if (!nodes.back()->start()) return error = nodes.back()->error(), false;
        backends << "--backend" << QStringLiteral("%1=127.0.0.1:%2").arg(name).arg(nodes.back()->port());
    }
    balancer = std::make_unique<ChildProcess>(
        "balancer", statelab_program("statelab-balancer"),
        QStringList{"--port", "0", "--policy", "cookie", "--health-interval-ms", "100"} + backends);
    if (!balancer->start()) return error = balancer->error(), false;
    return true;
}

} // namespace statelab::test
