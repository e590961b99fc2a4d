#include "support/child_process.hpp"

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace statelab::test {

QString statelab_program(const QString& name) { return QStringLiteral(STATELAB_BIN_DIR "/") + name; }

ChildProcess::ChildProcess(QString name, QString program, QStringList args, Ready ready)
    : m_name(std::move(name)), m_program(std::move(program)), m_args(std::move(args)), m_ready(ready) {}

ChildProcess::~ChildProcess() { kill(); }

bool ChildProcess::start(int timeout_ms) {
    kill();
    m_error.clear();
    m_port = 0;
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(m_program);
    m_process->setArguments(m_args);
    m_process->setStandardErrorFile(m_dir.filePath("stderr.log"));
    if (m_ready == Ready::started) m_process->setStandardOutputFile(m_dir.filePath("stdout.log"));
    const pid_t test_pid = ::getpid();
    m_process->setChildProcessModifier([test_pid] {
        // Killed with the test, even when the test itself is SIGKILLed or crashes. If the test
        // died between fork and here, the signal would never come: leave at once instead.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != test_pid) ::_exit(127);
    });
    m_process->start();
    if (!m_process->waitForStarted(timeout_ms)) {
        m_error = QStringLiteral("%1: cannot start %2: %3").arg(m_name, m_program, m_process->errorString());
        return false;
    }
    if (m_ready == Ready::started) return true;

    static const QRegularExpression listening(QStringLiteral("^listening 127\\.0\\.0\\.1:(\\d+)\\s*$"));
    QDeadlineTimer deadline(timeout_ms);
    QByteArray seen;
    while (!deadline.hasExpired()) {
        while (m_process->canReadLine()) {
            const QByteArray line = m_process->readLine();
            seen += line;
            const auto match = listening.match(QString::fromUtf8(line));
            if (match.hasMatch()) {
                m_port = static_cast<quint16>(match.captured(1).toUInt());
                return true;
            }
        }
        if (m_process->state() == QProcess::NotRunning) break;
        m_process->waitForReadyRead(static_cast<int>(qMax<qint64>(1, qMin<qint64>(100, deadline.remainingTime()))));
    }
    m_error = m_process->state() == QProcess::NotRunning
                  ? QStringLiteral("exited with code %1 before listening").arg(m_process->exitCode())
                  : QStringLiteral("no `listening` line within %1 ms").arg(timeout_ms);
    m_error += QStringLiteral("; stdout: '%1'; %2").arg(QString::fromUtf8(seen).trimmed(), describe());
    kill();
    return false;
}

qint64 ChildProcess::pid() const { return m_process ? m_process->processId() : 0; }

bool ChildProcess::running() const { return m_process && m_process->state() != QProcess::NotRunning; }

void ChildProcess::kill() {
    if (!running()) return;
    ::kill(static_cast<pid_t>(m_process->processId()), SIGKILL);
    m_process->waitForFinished(5000);
}

void ChildProcess::terminate() {
    if (running()) ::kill(static_cast<pid_t>(m_process->processId()), SIGTERM);
}

bool ChildProcess::pause() { return running() && ::kill(static_cast<pid_t>(pid()), SIGSTOP) == 0; }

bool ChildProcess::resume() { return running() && ::kill(static_cast<pid_t>(pid()), SIGCONT) == 0; }

bool ChildProcess::wait_for_exit(int timeout_ms) {
    if (!m_process) return true;
    if (running()) m_process->waitForFinished(timeout_ms);
    return !running();
}

int ChildProcess::exit_code() const { return m_process ? m_process->exitCode() : -1; }

bool ChildProcess::crashed() const { return m_process && m_process->exitStatus() == QProcess::CrashExit; }

QByteArray ChildProcess::stderr_text() const {
    QFile file(m_dir.filePath("stderr.log"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString ChildProcess::describe() const {
    QByteArray tail = stderr_text().right(600).trimmed();
    tail.replace('\n', " | ");
    return QStringLiteral("%1 (%2 %3): stderr: '%4'")
        .arg(m_name, m_program.section('/', -1), m_args.join(' '), QString::fromUtf8(tail));
}

} // namespace statelab::test
