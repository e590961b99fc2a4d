#include "support/cluster.hpp"

namespace statelab::test {

Cluster::Cluster(ClusterOptions options) : m_options(std::move(options)) {}

// Balancer first: it must stop forwarding before its backends vanish under it.
Cluster::~Cluster() { m_balancer.reset(); }

ChildProcess& Cluster::node(const QByteArray& name) {
    for (auto& node : m_nodes)
        if (node->name().toUtf8() == name) return *node;
    qFatal("no node named '%s' in this cluster", name.constData());
}

bool Cluster::start() {
    QStringList backends;
    for (int i = 1; i <= m_options.nodes; ++i) {
        const QString name = QString::fromUtf8(node_name(i));
        QStringList args{"--name", name, "--port", "0", "--store", m_options.store};
        args += m_options.backend_args;
        m_nodes.push_back(std::make_unique<ChildProcess>(name, statelab_program("statelab-backend"), args));
        if (!m_nodes.back()->start()) {
            m_error = m_nodes.back()->error();
            return false;
        }
        backends << "--backend" << QStringLiteral("%1=127.0.0.1:%2").arg(name).arg(m_nodes.back()->port());
    }
    if (!m_options.with_balancer) return true;
    QStringList args{"--port", "0", "--policy", m_options.policy};
    args += backends;
    args += m_options.balancer_args;
    m_balancer = std::make_unique<ChildProcess>("balancer", statelab_program("statelab-balancer"), args);
    if (!m_balancer->start()) {
        m_error = m_balancer->error();
        return false;
    }
    return true;
}

} // namespace statelab::test
