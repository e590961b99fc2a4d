#include "support/cluster.hpp"
#include "support/free_port.hpp"
#include "support/required_tool.hpp"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

namespace statelab::test {

HaproxyProcess::HaproxyProcess(QList<QPair<QByteArray, quint16>> servers) : m_servers(std::move(servers)) {}

QString HaproxyProcess::config_text() const {
    QString text = QStringLiteral(
                       "global\n"
                       "    maxconn 2000\n"
                       "defaults\n"
                       "    mode http\n"
                       "    timeout connect 1s\n"
                       "    timeout client 10s\n"
                       "    timeout server 10s\n"
                       // A pinned server that refuses: retry, and redispatch the retry elsewhere.
                       "    retries 2\n"
                       "    option redispatch 1\n"
                       "frontend shop_in\n"
                       "    bind 127.0.0.1:%1\n"
                       "    default_backend shop\n"
                       "backend shop\n"
                       "    balance roundrobin\n"
                       "    cookie SRV insert indirect nocache\n"
                       "    option httpchk GET /healthz\n")
                       .arg(m_port);
    for (const auto& [name, port] : m_servers)
        text += QStringLiteral("    server %1 127.0.0.1:%2 cookie %1 check inter 200 fall 2 rise 2\n")
                    .arg(QString::fromUtf8(name))
                    .arg(port);
    return text;
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
