#pragma once
// A whole lab cluster from real processes: N statelab-backend nodes (node-1..node-N) and a
// statelab-balancer in front. Everything is killed when the Cluster goes away.
#include "support/child_process.hpp"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace statelab::test {

struct ClusterOptions {
    int nodes = 3;
    QString store = QStringLiteral("memory");
    QString policy = QStringLiteral("round-robin");
    QStringList backend_args;  // added to every node's command line (--redis ..., --secret-file ...)
    // Fast health checks keep tests that wait for "node is down/up" short.
    QStringList balancer_args = {QStringLiteral("--health-interval-ms"), QStringLiteral("100")};
    bool with_balancer = true;
};

class Cluster {
public:
    explicit Cluster(ClusterOptions options);
    ~Cluster();

    bool start();
    const QString& error() const { return m_error; }

    static QByteArray node_name(int number) { return "node-" + QByteArray::number(number); }
    int size() const { return static_cast<int>(m_nodes.size()); }
    // 1-based, like the names: node(1) is node-1.
    ChildProcess& node(int number) { return *m_nodes.at(static_cast<std::size_t>(number - 1)); }
    ChildProcess& node(const QByteArray& name);
    ChildProcess& balancer() { return *m_balancer; }
    // The balancer's port: where clients go.
    quint16 port() const { return m_balancer ? m_balancer->port() : 0; }

private:
    ClusterOptions m_options;
    std::vector<std::unique_ptr<ChildProcess>> m_nodes;
    std::unique_ptr<ChildProcess> m_balancer;
    QString m_error;
};

// Real HAProxy in front of the given backends, configured like the lab's sticky mode:
// round robin, `cookie SRV insert indirect nocache`, HTTP health checks every 200 ms.
class HaproxyProcess {
public:
    explicit HaproxyProcess(QList<QPair<QByteArray, quint16>> servers);

    bool start(int timeout_ms = 10'000);
    const QString& error() const { return m_error; }
    quint16 port() const { return m_port; }
    QString config_text() const;

private:
    QList<QPair<QByteArray, quint16>> m_servers;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    std::unique_ptr<ChildProcess> m_process;
    QString m_error;
};

} // namespace statelab::test
