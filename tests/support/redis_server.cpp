#include "support/redis_server.hpp"

#include "support/free_port.hpp"

#include <QDeadlineTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QThread>

#include <hiredis/hiredis.h>

#include <vector>

namespace statelab::test {

RedisServer::RedisServer() {
    m_password = QByteArray::number(QRandomGenerator::global()->generate64(), 16) +
                 QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    QFile file(password_file());
    if (file.open(QIODevice::WriteOnly)) file.write(m_password + '\n');
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
}

RedisServer::~RedisServer() = default;

QString RedisServer::password_file() const { return m_dir.filePath(QStringLiteral("redis.password")); }

bool RedisServer::start(int timeout_ms) {
    m_error.clear();
    if (m_port == 0) m_port = free_port();
    // The password goes in a config file, not on the command line where `ps` shows it.
    const QString config = m_dir.filePath(QStringLiteral("redis.conf"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly)) {
        m_error = QStringLiteral("cannot write %1").arg(config);
        return false;
    }
    file.write("requirepass " + m_password + "\n");
    file.close();
    m_process = std::make_unique<ChildProcess>(
        QStringLiteral("redis"), QStringLiteral("redis-server"),
        QStringList{config, "--port", QString::number(m_port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--dir", m_dir.path(), "--daemonize", "no"},
        ChildProcess::Ready::started);
    if (!m_process->start(timeout_ms)) {
        m_error = m_process->error();
        return false;
    }
    QDeadlineTimer deadline(timeout_ms);
    RedisReply pong;
    while (!deadline.hasExpired()) {
        pong = command({"PING"});
        if (pong.type == RedisReply::Type::status && pong.text == "PONG") return true;
        if (!m_process->running()) break;
        QThread::msleep(20);
    }
    m_error = QStringLiteral("redis-server on port %1 not answering PING: '%2' (%3)")
                  .arg(m_port)
                  .arg(QString::fromUtf8(pong.text), m_process->describe());
    m_process->kill();
    return false;
}

void RedisServer::kill() {
    if (m_process) m_process->kill();
}

bool RedisServer::pause() { return m_process && m_process->pause(); }

bool RedisServer::resume() { return m_process && m_process->resume(); }

RedisReply RedisServer::command(const QList<QByteArray>& args) const {
    RedisReply out;
    const timeval timeout{1, 0};
    redisContext* c = redisConnectWithTimeout("127.0.0.1", m_port, timeout);
    if (!c || c->err) {
        out.text = c ? QByteArray(c->errstr) : QByteArray("out of memory");
        if (c) redisFree(c);
        return out;
    }
    redisSetTimeout(c, timeout);
    auto run = [c](const QList<QByteArray>& words) {
        std::vector<const char*> argv;
        std::vector<size_t> lens;
        for (const QByteArray& w : words) {
            argv.push_back(w.constData());
            lens.push_back(static_cast<size_t>(w.size()));
        }
        return static_cast<redisReply*>(
            redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
    };
    redisReply* auth = run({"AUTH", m_password});
    redisReply* r = nullptr;
    if (auth && auth->type != REDIS_REPLY_ERROR) r = run(args);
    else if (auth) r = auth, auth = nullptr;
    if (auth) freeReplyObject(auth);
    if (!r) {
        out.text = c->err ? QByteArray(c->errstr) : QByteArray("no reply");
    } else {
        switch (r->type) {
        case REDIS_REPLY_STATUS: out.type = RedisReply::Type::status; break;
        case REDIS_REPLY_ERROR: out.type = RedisReply::Type::error; break;
        case REDIS_REPLY_INTEGER: out.type = RedisReply::Type::integer; break;
        case REDIS_REPLY_NIL: out.type = RedisReply::Type::nil; break;
        case REDIS_REPLY_ARRAY: out.type = RedisReply::Type::array; break;
        default: out.type = RedisReply::Type::string; break;
        }
        out.integer = r->integer;
        if (r->str) out.text = QByteArray(r->str, static_cast<qsizetype>(r->len));
        for (size_t i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; ++i)
            if (r->element[i]->str)
                out.elements << QByteArray(r->element[i]->str, static_cast<qsizetype>(r->element[i]->len));
        freeReplyObject(r);
    }
    redisFree(c);
    return out;
}

} // namespace statelab::test
