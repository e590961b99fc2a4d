#pragma once
// One real program run by a test. It dies with the test (PR_SET_PDEATHSIG) and with this object
// (the destructor SIGKILLs and reaps), so a failed or crashed test never leaves servers behind.
#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace statelab::test {

// Absolute path of one of our programs (statelab-backend, statelab-balancer, ...).
QString statelab_program(const QString& name);

class ChildProcess {
public:
    enum class Ready {
        listening_line, // our servers: wait for `listening 127.0.0.1:<port>` on stdout
        started,        // anyone else: the caller polls for readiness (stdout goes to a file)
    };

    ChildProcess(QString name, QString program, QStringList args, Ready ready = Ready::listening_line);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Starts (or restarts, after it exited) and waits until ready. On failure returns false and
    // error() says why, with the tail of the program's stderr.
    bool start(int timeout_ms = 10'000);
    const QString& error() const { return m_error; }
    const QString& name() const { return m_name; }
    QStringList& arguments() { return m_args; } // change before a restart

    quint16 port() const { return m_port; }
    qint64 pid() const;
    bool running() const;

    void kill();      // SIGKILL, and reap it
    void terminate(); // SIGTERM, without waiting
    bool pause();     // SIGSTOP: a hung node that still holds its port
    bool resume();    // SIGCONT
    // True when the process has exited within the timeout.
    bool wait_for_exit(int timeout_ms);
    int exit_code() const;
    bool crashed() const; // exited by a signal

    QByteArray stderr_text() const;
    // One line for failure messages: "node-1 (statelab-backend ...): <stderr tail>".
    QString describe() const;

private:
    QString m_name, m_program;
    QStringList m_args;
    Ready m_ready;
    QTemporaryDir m_dir; // stderr (and stdout for Ready::started) go to files here: no full pipes
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace statelab::test
