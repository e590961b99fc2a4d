#include "support/cluster.hpp"

#include "cluster/launch_commands.hpp"
#include "support/free_port.hpp"
#include "support/required_tool.hpp"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

namespace statelab::test {

HaproxyProcess::HaproxyProcess(QList<QPair<QByteArray, quint16>> servers) : m_servers(std::move(servers)) {}

// The same haproxy.cfg the lab runs for sticky mode (one generator: the tests check what users get).
QString HaproxyProcess::config_text() const {
    std::vector<NodeEndpoint> nodes;
    for (const auto& [name, port] : m_servers) nodes.push_back({name.toStdString(), port});
    return QString::fromStdString(haproxy_config(ClusterSettings{}, m_port, nodes));
}

bool HaproxyProcess::start(int timeout_ms) {
    m_port = free_port();
    const QString config = m_dir.filePath(QStringLiteral("haproxy.cfg"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly)) {
        m_error = QStringLiteral("cannot write %1").arg(config);
        return false;
    }
    file.write(config_text().toUtf8());
    file.close();
    // -db: stay in the foreground (and die with the test); no master-worker.
    m_process = std::make_unique<ChildProcess>(QStringLiteral("haproxy"), find_tool(QStringLiteral("haproxy")),
                                               QStringList{"-f", config, "-db"}, ChildProcess::Ready::started);
    if (!m_process->start(timeout_ms)) {
        m_error = m_process->error();
        return false;
    }
    QDeadlineTimer deadline(timeout_ms);
    while (!deadline.hasExpired() && m_process->running()) {
        if (port_accepts(m_port)) return true;
        QThread::msleep(20);
    }
    m_error = QStringLiteral("haproxy not accepting on port %1: %2\nconfig:\n%3")
                  .arg(m_port)
                  .arg(m_process->describe(), config_text());
    m_process->kill();
    return false;
}

} // namespace statelab::test
