// The supervisor runs a real cluster: every process comes up and serves, node actions do what a
// user sees in the lab (a killed node is gone, a restarted one is back on its port, a paused one
// hangs), and nothing outlives the supervisor, not even when its own process is SIGKILLed.
#include "cluster/cluster_files.hpp"
#include "cluster/supervisor.hpp"
#include "support/required_tool.hpp"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <memory>
#include <optional>

using namespace statelab;

namespace {

const std::filesystem::path bin_dir = STATELAB_BIN_DIR;

// One request on a fresh loopback connection, read to EOF. Deliberately not the engine's own
// client, so the test checks the cluster with independent code.
struct Reply {
    int status = 0;
    std::string head, body;
    // Case-insensitive, as HTTP says (haproxy sends header names in lowercase).
    std::string header(const std::string& name) const {
        const std::string lower_head = QByteArray::fromStdString(head).toLower().toStdString();
        const std::string wanted = "\r\n" + QByteArray::fromStdString(name).toLower().toStdString() + ": ";
        const auto at = lower_head.find(wanted);
        if (at == std::string::npos) return {};
        const auto start = at + wanted.size();
        return head.substr(start, head.find("\r\n", start) - start);
    }
};

std::string round_trip(std::uint16_t port, const std::string& request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval timeout{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    std::string raw;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == ssize_t(request.size())) {
        char buffer[4096];
        for (ssize_t got; (got = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) raw.append(buffer, got);
    }
    ::close(fd);
    return raw;
}

Reply http(std::uint16_t port, const std::string& method, const std::string& target,
           const std::string& extra_headers = {}) {
    const std::string raw = round_trip(port, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                               "Connection: close\r\nContent-Length: 0\r\n" +
                                               extra_headers + "\r\n");
    Reply reply;
    const auto end = raw.find("\r\n\r\n");
    if (!raw.starts_with("HTTP/1.1 ") || end == std::string::npos) return reply;
    reply.status = std::atoi(raw.c_str() + 9);
    reply.head = raw.substr(0, end + 2);
    reply.body = raw.substr(end + 4);
    return reply;
}

std::optional<NodeStatus> status_of(const Supervisor& supervisor, const std::string& name) {
    for (const auto& status : supervisor.statuses())
        if (status.name == name) return status;
    return std::nullopt;
}

// Dead: no such process, or a zombie waiting for a parent that is not us to reap it.
bool process_gone(int pid) {
    if (::kill(pid, 0) == -1 && errno == ESRCH) return true;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_text, comm, state;
    stat >> pid_text >> comm >> state;
    return state == "Z";
}

char process_state_letter(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_text, comm, state;
    stat >> pid_text >> comm >> state;
    return state.empty() ? '?' : state[0];
}

ClusterSpec spec_for(Mode mode, int nodes, const QTemporaryDir& dir) {
    ClusterSpec spec;
    spec.mode = mode;
    spec.nodes = nodes;
    spec.bin_dir = bin_dir;
    spec.run_dir = dir.path().toStdString();
    return spec;
}

} // namespace

class TestSupervisor : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Supervisor> m_sticky; // shared by the sticky tests, in declaration order

private slots:
    void initTestCase() {
        QVERIFY2(std::filesystem::exists(bin_dir / "statelab-backend"), "build statelab-backend first");
        QVERIFY(m_dir.isValid());
    }

    void launchesStickyClusterAllUp() {
        m_sticky = std::make_unique<Supervisor>(spec_for(Mode::sticky, 3, m_dir));
        QStringList progress;
        m_sticky->launch([&](const std::string& message) { progress << QString::fromStdString(message); });
        QVERIFY(!progress.isEmpty());

        const auto statuses = m_sticky->statuses();
        QStringList names;
        for (const auto& status : statuses) {
            names << QString::fromStdString(status.name);
            QCOMPARE(process_state_name(status.state), "up");
            QVERIFY(status.pid > 0);
            QVERIFY(status.port > 0);
            QVERIFY(!process_gone(status.pid));
        }
        QCOMPARE(names, QStringList({"node-1", "node-2", "node-3", "balancer"}));
        QCOMPARE(m_sticky->base_url(), "http://127.0.0.1:" + std::to_string(m_sticky->balancer_port()));

        const Reply health = http(m_sticky->balancer_port(), "GET", "/healthz");
        QCOMPARE(health.status, 200);
        QVERIFY2(health.header("X-Served-By").starts_with("node-"), health.head.c_str());
    }

    void killedNodeIsDownAndGone() {
        QVERIFY(m_sticky);
        const auto before = status_of(*m_sticky, "node-2");
        QCOMPARE(m_sticky->apply(Action::kill, "node-2"), "node-2");
        const auto after = status_of(*m_sticky, "node-2");
        QCOMPARE(process_state_name(after->state), "down");
        QCOMPARE(after->pid, 0);
        QVERIFY(::kill(before->pid, 0) == -1 && errno == ESRCH); // reaped, not a zombie
        QCOMPARE(http(before->port, "GET", "/healthz").status, 0);
    }

    void restartedNodeIsBackOnItsPort() {
        QVERIFY(m_sticky);
        const auto before = status_of(*m_sticky, "node-2");
        QCOMPARE(m_sticky->apply(Action::restart, "node-2"), "node-2");
        const auto after = status_of(*m_sticky, "node-2");
        QCOMPARE(process_state_name(after->state), "up");
        QCOMPARE(after->port, before->port); // the balancer's table stays valid
        QVERIFY(after->pid > 0);
        const Reply health = http(after->port, "GET", "/healthz");
        QCOMPARE(health.status, 200);
        QCOMPARE(health.header("X-Served-By"), "node-2");
    }

    void pausedNodeHangsUntilResumed() {
        QVERIFY(m_sticky);
        m_sticky->apply(Action::pause, "node-1");
        const auto paused = status_of(*m_sticky, "node-1");
        QCOMPARE(process_state_name(paused->state), "paused");
        QCOMPARE(process_state_letter(paused->pid), 'T'); // stopped by SIGSTOP, still alive

        m_sticky->apply(Action::resume, "node-1");
        QCOMPARE(process_state_name(status_of(*m_sticky, "node-1")->state), "up");
        QCOMPARE(http(paused->port, "GET", "/healthz").status, 200);
        QVERIFY_THROWS_EXCEPTION(ClusterError, m_sticky->apply(Action::resume, "node-1"));
    }

    void addedNodeJoinsTheBalancer() {
        QVERIFY(m_sticky);
        QCOMPARE(m_sticky->apply(Action::add, ""), "node-4");
        const auto added = status_of(*m_sticky, "node-4");
        QVERIFY(added);
        QCOMPARE(process_state_name(added->state), "up");
        const Reply lb = http(m_sticky->balancer_port(), "GET", "/lb/status");
        QCOMPARE(lb.status, 200);
        QVERIFY2(lb.body.find("\"node-4\"") != std::string::npos, lb.body.c_str());
    }

    void removedNodeLeavesTheBalancerAndStops() {
        QVERIFY(m_sticky);
        const auto node = status_of(*m_sticky, "node-4");
        QCOMPARE(m_sticky->apply(Action::remove, "node-4"), "node-4");
        const Reply lb = http(m_sticky->balancer_port(), "GET", "/lb/status");
        QVERIFY2(lb.body.find("\"node-4\"") == std::string::npos, lb.body.c_str());
        // SIGTERM drains (about a second), then the process exits and shows stopped.
        QTRY_VERIFY_WITH_TIMEOUT(status_of(*m_sticky, "node-4")->state == ProcessState::stopped, 8000);
        QVERIFY(process_gone(node->pid));
    }

    // `add` stops at the same cap as a scenario's `nodes` (it once ran 43 nodes for 40 adds).
    void addStopsAtTheNodeCap() {
        QTemporaryDir dir;
        Supervisor full(spec_for(Mode::sticky, max_nodes, dir));
        full.launch();
        try {
            full.apply(Action::add, "");
            QFAIL("a 33rd node was added");
        } catch (const ClusterError& e) {
            QVERIFY2(std::string(e.what()).find("the most it may have (32)") != std::string::npos, e.what());
        }
        QVERIFY(!status_of(full, "node-33"));
        // One removed makes room for one.
        full.apply(Action::remove, "node-32");
        QCOMPARE(full.apply(Action::add, ""), "node-33");
    }

    void unknownTargetNamesTheProcesses() {
        QVERIFY(m_sticky);
        try {
            m_sticky->apply(Action::kill, "node-9");
            QFAIL("no ClusterError for node-9");
        } catch (const ClusterError& e) {
            QCOMPARE(std::string(e.what()),
                     "unknown target 'node-9' (processes: node-1, node-2, node-3, node-4, balancer)");
        }
    }

    void destructorLeavesNoChildAlive() {
        QVERIFY(m_sticky);
        std::vector<int> pids;
        for (const auto& status : m_sticky->statuses())
            if (status.pid > 0) pids.push_back(status.pid);
        QVERIFY(pids.size() >= 4);
        m_sticky.reset();
        for (int pid : pids) QVERIFY2(::kill(pid, 0) == -1 && errno == ESRCH, qPrintable(QString::number(pid)));
    }

    void sharedStoreStartsPasswordProtectedRedis() {
        QTemporaryDir dir;
        Supervisor cluster(spec_for(Mode::shared_store, 2, dir));
        cluster.launch();
        const auto redis = status_of(cluster, "redis");
        QVERIFY(redis);
        QCOMPARE(process_state_name(redis->state), "up");
        QVERIFY(round_trip(redis->port, "PING\r\nQUIT\r\n").starts_with("-NOAUTH"));

        const auto password_file = std::filesystem::path(dir.path().toStdString()) / "redis.password";
        struct stat info{};
        QCOMPARE(::stat(password_file.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        std::string password;
        std::ifstream(password_file) >> password;
        QCOMPARE(round_trip(redis->port, "AUTH " + password + "\r\nPING\r\nQUIT\r\n").substr(0, 12),
                 "+OK\r\n+PONG\r\n");

        // The session lives in redis: a login on node-1 is known to node-2.
        const Reply login = http(status_of(cluster, "node-1")->port, "POST", "/login?user=ann");
        QCOMPARE(login.status, 200);
        const std::string cookie = login.header("Set-Cookie").substr(0, login.header("Set-Cookie").find(';'));
        const Reply cart = http(status_of(cluster, "node-2")->port, "GET", "/cart", "Cookie: " + cookie + "\r\n");
        QCOMPARE(cart.status, 200);
        QCOMPARE(cart.header("X-Session"), "hit");

        // The password goes with the cluster; the logs stay.
        cluster.shutdown();
        QVERIFY(!std::filesystem::exists(password_file));
        QVERIFY(std::filesystem::exists(std::filesystem::path(dir.path().toStdString()) / "node-1.log"));
    }

    void haproxyBalancerIsRestartedWithNewNodes() {
        // Looked up the way the supervisor looks it up: the test runs wherever the lab can.
        const auto haproxy = find_in_path("haproxy");
        REQUIRE_TOOL(haproxy ? QString::fromStdString(haproxy->string()) : QString(),
                     "haproxy (Debian package haproxy)");
        QTemporaryDir dir;
        ClusterSpec spec = spec_for(Mode::sticky, 2, dir);
        spec.balancer = BalancerKind::haproxy;
        Supervisor cluster(spec);
        cluster.launch();
        const std::uint16_t port = cluster.balancer_port();
        const Reply first = http(port, "GET", "/healthz");
        QCOMPARE(first.status, 200);
        QVERIFY2(first.header("Set-Cookie").starts_with("SRV=node-"), first.head.c_str()); // sticky

        // haproxy has no control endpoint here: add rewrites haproxy.cfg and restarts it.
        QCOMPARE(cluster.apply(Action::add, ""), "node-3");
        QCOMPARE(cluster.balancer_port(), port);
        std::ifstream config(dir.filePath("haproxy.cfg").toStdString());
        const std::string text((std::istreambuf_iterator<char>(config)), std::istreambuf_iterator<char>());
        QVERIFY2(text.find("server node-3 127.0.0.1:") != std::string::npos, text.c_str());
        QCOMPARE(http(port, "GET", "/healthz", "Cookie: SRV=node-3\r\n").header("X-Served-By"), "node-3");
    }

    void missingBinaryDirIsAClearError() {
        QTemporaryDir dir;
        ClusterSpec spec = spec_for(Mode::sticky, 1, dir);
        spec.bin_dir = "/nonexistent/statelab";
        Supervisor cluster(spec);
        try {
            cluster.launch();
            QFAIL("launch succeeded without binaries");
        } catch (const ClusterError& e) {
            QCOMPARE(std::string(e.what()), "statelab-backend not found in '/nonexistent/statelab' "
                                            "(the cluster's bin_dir must hold the StateLab binaries)");
        }
        QVERIFY(cluster.statuses().empty());
    }

    void childrenDieWhenTheSupervisorIsSigkilled() {
        QTemporaryDir dir;
        QProcess helper;
        // Built next to this test (test programs stay out of the shipped bin/).
        helper.start(QCoreApplication::applicationDirPath() + "/supervisor_child",
                     {QString::fromStdString(bin_dir.string()), dir.path()});
        QVERIFY2(helper.waitForStarted(), qPrintable(helper.errorString()));
        std::vector<int> pids;
        QByteArray line;
        while (line != "ready") {
            if (!helper.canReadLine()) QVERIFY2(helper.waitForReadyRead(10000), helper.readAllStandardError().constData());
            while (helper.canReadLine() && line != "ready") {
                line = helper.readLine().trimmed();
                if (line.startsWith("pid ")) pids.push_back(line.mid(4).toInt());
            }
        }
        QCOMPARE(pids.size(), 3u); // node-1, node-2, balancer
        ::kill(static_cast<pid_t>(helper.processId()), SIGKILL);
        QVERIFY(helper.waitForFinished(5000));
        for (int pid : pids) QTRY_VERIFY_WITH_TIMEOUT(process_gone(pid), 2000);
    }
};

QTEST_GUILESS_MAIN(TestSupervisor)
#include "tst_supervisor.moc"
