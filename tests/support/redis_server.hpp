#pragma once
// A real, password-protected redis-server on a free loopback port, in a temporary directory,
// without persistence. It can be killed and started again on the same port (Redis "restarts").
#include "support/child_process.hpp"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace statelab::test {

struct RedisReply {
    enum class Type { none, status, error, integer, string, array, nil };
    Type type = Type::none;  // none: no connection or no reply, see text
    long long integer = 0;
    QByteArray text;         // status, error or string value; the transport error for none
    QList<QByteArray> elements; // array of strings (KEYS)
};

class RedisServer {
public:
    RedisServer();
    ~RedisServer();

    // Starts redis-server (on the port of the previous start, if any) and waits until an
    // authenticated PING answers. False with error() set otherwise.
    bool start(int timeout_ms = 10'000);
    void kill();
    bool pause();  // SIGSTOP: Redis hung, its port still accepting connections
    bool resume(); // SIGCONT
    bool running() const { return m_process && m_process->running(); }
    const QString& error() const { return m_error; }

    quint16 port() const { return m_port; }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    QByteArray password() const { return m_password; }
    // A file holding the password, for statelab-backend --redis-password-file.
    QString password_file() const;

    // One command on a fresh authenticated connection (tests need a few, not speed).
    RedisReply command(const QList<QByteArray>& args) const;

private:
    QTemporaryDir m_dir;
    QByteArray m_password;
    quint16 m_port = 0;
    std::unique_ptr<ChildProcess> m_process;
    QString m_error;
};

} // namespace statelab::test
