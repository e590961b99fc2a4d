// `statelab-cli export-config` (issue 14): the exported files are checked by the real programs
// they are for. HAProxy accepts every mode's haproxy.cfg; the sticky and shared-store files, put
// in front of our own app servers, behave as the lab measured (a kill loses sticky sessions and
// none in shared-store); redis.conf and sentinel.conf start real servers that take the exported
// password and find each other; compose.yaml names the whole topology; the CLI fails cleanly.
#include "cluster/config_export.hpp"
#include "lab_files.hpp"
#include "exported_files.hpp"
#include "support/cluster.hpp"
#include "support/free_port.hpp"
#include "support/http_client.hpp"
#include "support/required_tool.hpp"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QThread>
#include <QtTest>

using namespace statelab;
using namespace statelab::test;

namespace {

const QString cli = QStringLiteral(STATELAB_BIN_DIR "/statelab-cli");

// A scenario file as `statelab-cli run` takes it (export-config reads only its cluster).
QByteArray scenario_json(const char* mode, int nodes) {
    return QStringLiteral(R"({ "name": "export", "mode": "%1", "nodes": %2, "balancer": "builtin",
  "duration_s": 10, "traffic": { "users": 10, "think_ms": 100, "journey": "shop", "rate": 0 },
  "timeline": [] })")
        .arg(QString::fromUtf8(mode))
        .arg(nodes)
        .toUtf8();
}

ClusterSettings settings_for(Mode mode, int nodes = 3) {
    ClusterSettings settings;
    settings.mode = mode;
    settings.nodes = nodes;
    return settings;
}

QByteArray port_text(quint16 port) {
    return QByteArray::number(port);
}

// The exported haproxy.cfg with its bind and servers on loopback: node-K:8080 -> our node-K.
QByteArray haproxy_on_loopback(const QByteArray& cfg, Cluster& nodes, quint16 port,
                               QString& missing) {
    Substitutions subs{{"bind *:8080", "bind 127.0.0.1:" + port_text(port)}};
    for (int n = 1; n <= nodes.size(); ++n)
        subs.append(
            {Cluster::node_name(n) + ":8080", "127.0.0.1:" + port_text(nodes.node(n).port())});
    return substituted(cfg, subs, missing);
}

// Runs haproxy on a config and waits until it accepts on `port`; null (with `error`) otherwise.
std::unique_ptr<ChildProcess> start_haproxy(const QString& config, quint16 port, QString& error) {
    auto haproxy = std::make_unique<ChildProcess>(
        QStringLiteral("haproxy"), find_tool(QStringLiteral("haproxy")),
        QStringList{"-f", config, "-db"}, ChildProcess::Ready::started);
    if (!haproxy->start()) {
        error = haproxy->error();
        return nullptr;
    }
    QDeadlineTimer deadline(10'000);
    while (!deadline.hasExpired() && haproxy->running()) {
        if (port_accepts(port)) return haproxy;
        QThread::msleep(20);
    }
    error = QStringLiteral("haproxy not accepting on %1: %2").arg(port).arg(haproxy->describe());
    return nullptr;
}

ToolRun redis_cli(quint16 port, const QByteArray& password, const QStringList& command) {
    QStringList args{"-p", QString::number(port), "--no-auth-warning"};
    if (!password.isEmpty()) args << "-a" << QString::fromUtf8(password);
    return run_tool(QStringLiteral("redis-cli"), args + command, 5000);
}

// A redis-server (or redis-sentinel) from an exported file, localized into `dir`, bound to
// loopback on `port`; waits until an authenticated PING answers.
std::unique_ptr<ChildProcess> start_redis(const QString& program, const QString& config,
                                          quint16 port, const QByteArray& password,
                                          QString& error) {
    auto redis = std::make_unique<ChildProcess>(
        program, program,
        QStringList{config, "--port", QString::number(port), "--bind", "127.0.0.1"},
        ChildProcess::Ready::started);
    if (!redis->start()) {
        error = redis->error();
        return nullptr;
    }
    QDeadlineTimer deadline(10'000);
    while (!deadline.hasExpired() && redis->running()) {
        if (redis_cli(port, password, {"PING"}).out.trimmed() == "PONG") return redis;
        QThread::msleep(50);
    }
    error = QStringLiteral("%1 on %2 not answering PING: %3")
                .arg(program)
                .arg(port)
                .arg(redis->describe());
    return nullptr;
}

// The field/value lines of `SENTINEL master statelab` as a map.
QMap<QByteArray, QByteArray> sentinel_master(quint16 port, const QByteArray& password) {
    const QList<QByteArray> lines =
        redis_cli(port, password, {"SENTINEL", "master", "statelab"}).out.split('\n');
    QMap<QByteArray, QByteArray> fields;
    for (int i = 0; i + 1 < lines.size(); i += 2)
        fields.insert(lines[i].trimmed(), lines[i + 1].trimmed());
    return fields;
}

} // namespace

class TestConfigExport : public QObject {
    Q_OBJECT
    QString m_python_with_yaml; // empty when python3 or its PyYAML is missing


private slots:
    void initTestCase() {
        // `haproxy -c` asks DNS for node-1, node-2, ... (compose's names); where no resolver
        // answers, glibc's default 5 s per try would make each check a long wait for "not found".
        qputenv("RES_OPTIONS", "timeout:1 attempts:1");
        // Asked once: each python3 start costs a good part of a second on a busy machine.
        const QString python = find_tool(QStringLiteral("python3"));
        if (!python.isEmpty() && run_tool(python, {"-c", "import yaml"}).code == 0) m_python_with_yaml = python;
    }

    void haproxyAcceptsTheExport_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QByteArray>("policy"); // a line only this mode's policy has
        QTest::newRow("sticky") << int(Mode::sticky)
                                << QByteArray("cookie SRV insert indirect nocache");
        QTest::newRow("sticky-ip") << int(Mode::sticky_ip) << QByteArray("hash-type map-based");
        QTest::newRow("sticky-url")
            << int(Mode::sticky_url)
            << QByteArray("use-server node-2 if { urlp(node) -m str node-2 }");
        QTest::newRow("shared-store")
            << int(Mode::shared_store) << QByteArray("balance roundrobin");
        QTest::newRow("shared-store-ha")
            << int(Mode::shared_store_ha) << QByteArray("balance roundrobin");
        QTest::newRow("sticky-cached")
            << int(Mode::sticky_cached) << QByteArray("cookie SRV insert");
        QTest::newRow("client-token")
            << int(Mode::client_token) << QByteArray("balance roundrobin");
        QTest::newRow("replicated") << int(Mode::replicated) << QByteArray("cookie node-3");
        QTest::newRow("consistent-hash")
            << int(Mode::consistent_hash) << QByteArray("hash-type consistent");
        QTest::newRow("hash-mod-n") << int(Mode::hash_mod_n) << QByteArray("balance source");
    }
    // `haproxy -c` without compose's DNS: init-addr lets the unresolvable node-K names through.
    void haproxyAcceptsTheExport() {
        QFETCH(int, mode);
        QFETCH(QByteArray, policy);
        REQUIRE_TOOL(find_tool("haproxy"), "haproxy (Debian package haproxy)");
        ExportedCluster exported(settings_for(Mode(mode)));
        QVERIFY2(exported.error.isEmpty(), qPrintable(exported.error));
        const QByteArray cfg = exported.text("haproxy.cfg");
        QVERIFY2(cfg.contains(policy), cfg.constData());
        QVERIFY(cfg.contains("server node-3 node-3:8080 check"));
        const ToolRun check =
            run_tool(find_tool("haproxy"), {"-c", "-f", exported.path("haproxy.cfg")});
        QVERIFY2(check.code == 0, (check.out + check.err + "\n" + cfg).constData());
        QVERIFY(check.out.contains("Configuration file is valid"));
    }

    // The name labels the files in comments; a line break in it must not end the comment.
    void aScenarioNameStaysInItsComment() {
        QTemporaryDir dir;
        export_cluster_config(settings_for(Mode::shared_store), dir.path().toStdString(),
                              "evil\nbind *:1\rport 1");
        for (const QString file : {"haproxy.cfg", "redis.conf", "compose.yaml"}) {
            QFile in(dir.filePath(file));
            QVERIFY(in.open(QIODevice::ReadOnly));
            const QByteArray text = in.readAll();
            QVERIFY2(text.contains("evil bind *:1 port 1") && !text.contains("\nbind *:1") &&
                         !text.contains('\r'),
                     text.constData());
        }
        // YAML also breaks lines at U+0085, U+2028 and U+2029: a name with one once added a
        // top-level `secrets:` to compose.yaml.
        QTemporaryDir unicode;
        export_cluster_config(settings_for(Mode::shared_store), unicode.path().toStdString(),
                              "shop\u2028secrets:\u2029  x: {file: /etc/shadow}\u0085end");
        for (const QString file : {"haproxy.cfg", "redis.conf", "compose.yaml", "README.txt"}) {
            QFile in(unicode.filePath(file));
            QVERIFY(in.open(QIODevice::ReadOnly));
            const QByteArray text = in.readAll();
            QVERIFY2(text.contains("shop secrets:   x: {file: /etc/shadow} end"), text.constData());
            for (const char* line_break : {"\xe2\x80\xa8", "\xe2\x80\xa9", "\xc2\x85"})
                QVERIFY2(!text.contains(line_break), qPrintable(file));
        }
    }

    void stickyExportLosesTheKilledNodesSessions() {
        REQUIRE_TOOL(find_tool("haproxy"), "haproxy (Debian package haproxy)");
        ExportedCluster exported(settings_for(Mode::sticky));
        QVERIFY2(exported.error.isEmpty(), qPrintable(exported.error));
        ClusterOptions options;
        options.with_balancer = false;
        Cluster nodes(options);
        QVERIFY2(nodes.start(), qPrintable(nodes.error()));
        const quint16 port = free_port();
        QString missing, error;
        const QByteArray cfg =
            haproxy_on_loopback(exported.text("haproxy.cfg"), nodes, port, missing);
        QVERIFY2(missing.isEmpty(), qPrintable("not in haproxy.cfg: " + missing));
        QVERIFY(write_file(exported.path("haproxy-loopback.cfg"), cfg));
        const auto haproxy = start_haproxy(exported.path("haproxy-loopback.cfg"), port, error);
        QVERIFY2(haproxy, qPrintable(error));

        HttpClient client(port);
        const HttpResponse login = client.post("/login?user=alice");
        QVERIFY2(login.status == 200, qPrintable(login.describe()));
        const QByteArray pinned = login.served_by();
        const HttpResponse add = client.post("/cart/items?item=apple");
        QVERIFY2(add.status == 200 && add.served_by() == pinned, qPrintable(add.describe()));
        nodes.node(pinned).kill();

        // Retried, redispatched: another node answers, and honestly has no such session.
        HttpResponse cart;
        QDeadlineTimer deadline(5000);
        do {
            cart = client.get("/cart");
            if (cart.status == 401) break;
            QVERIFY2(cart.status == 502 || cart.status == 503 || !cart.ok(),
                     qPrintable(cart.describe()));
            QThread::msleep(50);
        } while (!deadline.hasExpired());
        QVERIFY2(cart.status == 401 && cart.session_state() == "miss", qPrintable(cart.describe()));
        QVERIFY(cart.served_by().startsWith("node-") && cart.served_by() != pinned);
    }

    void sharedStoreExportKeepsSessionsThroughAKill() {
        REQUIRE_TOOL(find_tool("haproxy"), "haproxy (Debian package haproxy)");
        REQUIRE_TOOL(find_tool("redis-server"), "redis-server (Debian package redis-server)");
        ExportedCluster exported(settings_for(Mode::shared_store));
        QVERIFY2(exported.error.isEmpty(), qPrintable(exported.error));
        QString missing, error;
        const QByteArray conf = exported.text("redis.conf");
        QVERIFY(write_file(
            exported.path("redis-loopback.conf"),
            substituted(conf, {{"dir /data", "dir " + exported.dir.path().toUtf8()}}, missing)));
        const QByteArray password = directive_value(conf, "requirepass");
        QVERIFY(write_file(exported.path("redis.password"), password + "\n"));
        const quint16 redis_port = free_port();
        const auto redis = start_redis("redis-server", exported.path("redis-loopback.conf"),
                                       redis_port, password, error);
        QVERIFY2(redis, qPrintable(error));

        ClusterOptions options;
        options.with_balancer = false;
        options.store = QStringLiteral("redis");
        options.backend_args = {"--redis", "127.0.0.1:" + QString::number(redis_port),
                                "--redis-password-file", exported.path("redis.password")};
        Cluster nodes(options);
        QVERIFY2(nodes.start(), qPrintable(nodes.error()));
        const quint16 port = free_port();
        const QByteArray cfg =
            haproxy_on_loopback(exported.text("haproxy.cfg"), nodes, port, missing);
        QVERIFY2(missing.isEmpty(), qPrintable("not in the exported files: " + missing));
        QVERIFY(write_file(exported.path("haproxy-loopback.cfg"), cfg));
        const auto haproxy = start_haproxy(exported.path("haproxy-loopback.cfg"), port, error);
        QVERIFY2(haproxy, qPrintable(error));

        HttpClient client(port);
        QCOMPARE(client.post("/login?user=alice").status, 200);
        const HttpResponse add = client.post("/cart/items?item=apple");
        QVERIFY2(add.status == 200, qPrintable(add.describe()));
        nodes.node(add.served_by()).kill();

        // Every node reads the same Redis: each of the next answers has the cart.
        int answered = 0;
        QSet<QByteArray> served;
        QDeadlineTimer deadline(5000);
        while (answered < 6 && !deadline.hasExpired()) {
            const HttpResponse cart = client.get("/cart");
            if (cart.status == 502 || cart.status == 503 ||
                !cart.ok()) { // the dead node, before checks notice
                QThread::msleep(50);
                continue;
            }
            QVERIFY2(cart.status == 200 && cart.body.contains("apple"),
                     qPrintable(cart.describe()));
            QVERIFY(cart.served_by() != add.served_by());
            served << cart.served_by();
            ++answered;
        }
        QCOMPARE(answered, 6);
        QCOMPARE(served.size(), 2); // both survivors, round robin
    }

    void exportedRedisConfTakesItsPassword() {
        REQUIRE_TOOL(find_tool("redis-server"), "redis-server (Debian package redis-server)");
        ExportedCluster exported(settings_for(Mode::shared_store));
        QVERIFY2(exported.error.isEmpty(), qPrintable(exported.error));
        const QByteArray conf = exported.text("redis.conf");
        const QByteArray password = directive_value(conf, "requirepass");
        QCOMPARE(password, QByteArray(exported_secret_placeholder)); // never a secret from a run
        QString missing, error;
        QVERIFY(write_file(
            exported.path("local.conf"),
            substituted(conf, {{"dir /data", "dir " + exported.dir.path().toUtf8()}}, missing)));
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        const quint16 port = free_port();
        const auto redis =
            start_redis("redis-server", exported.path("local.conf"), port, password, error);
        QVERIFY2(redis, qPrintable(error));
        QVERIFY(redis_cli(port, {}, {"PING"}).out.contains("NOAUTH"));
        const ToolRun wrong = redis_cli(port, "wrong", {"PING"});
        QVERIFY2(wrong.err.contains("WRONGPASS") && !wrong.out.contains("PONG"),
                 (wrong.out + wrong.err).constData());
        // The lab's pure in-memory store, from the file alone.
        QCOMPARE(redis_cli(port, password, {"CONFIG", "GET", "save"}).out, QByteArray("save\n\n"));
        QCOMPARE(redis_cli(port, password, {"CONFIG", "GET", "appendonly"}).out,
                 QByteArray("appendonly\nno\n"));
    }

    void exportedSentinelsSeeThePrimaryAndReplica() {
        REQUIRE_TOOL(find_tool("redis-sentinel"), "redis-sentinel (Debian package redis-sentinel)");
        ExportedCluster exported(settings_for(Mode::shared_store_ha));
        QVERIFY2(exported.error.isEmpty(), qPrintable(exported.error));
        const QByteArray password = directive_value(exported.text("redis.conf"), "requirepass");
        const quint16 primary_port = free_port(), replica_port = free_port();
        const QByteArray primary = "127.0.0.1 " + port_text(primary_port);
        QString missing, error;
        const QByteArray here = exported.dir.path().toUtf8();
        QVERIFY(write_file(
            exported.path("primary.conf"),
            substituted(exported.text("redis.conf"), {{"dir /data", "dir " + here}}, missing)));
        QVERIFY(QDir(exported.dir.path()).mkdir("replica"));
        QVERIFY(write_file(exported.path("replica.conf"),
                           substituted(exported.text("redis-replica.conf"),
                                       {{"dir /data", "dir " + here + "/replica"},
                                        {"replicaof redis 6379", "replicaof " + primary}},
                                       missing)));
        const auto redis = start_redis("redis-server", exported.path("primary.conf"), primary_port,
                                       password, error);
        QVERIFY2(redis, qPrintable(error));
        const auto replica = start_redis("redis-server", exported.path("replica.conf"),
                                         replica_port, password, error);
        QVERIFY2(replica, qPrintable(error));

        // Sentinel rewrites its file: each gets a copy in its own directory, as in compose.yaml.
        std::vector<std::unique_ptr<ChildProcess>> sentinels;
        std::vector<quint16> ports;
        for (int n = 1; n <= 3; ++n) {
            const QString dir = QStringLiteral("sentinel-%1").arg(n);
            QVERIFY(QDir(exported.dir.path()).mkdir(dir));
            const QString config = exported.path(dir + "/sentinel.conf");
            ports.push_back(free_port());
            QVERIFY(
                write_file(config, substituted(exported.text("sentinel.conf"),
                                               {{"dir /data", "dir " + here + "/" + dir.toUtf8()},
                                                {"statelab redis 6379", "statelab " + primary}},
                                               missing)));
            sentinels.push_back(
                start_redis("redis-sentinel", config, ports.back(), password, error));
            QVERIFY2(sentinels.back(), qPrintable(error));
        }
        QVERIFY2(missing.isEmpty(), qPrintable("not in the exported files: " + missing));

        // Each sentinel finds the primary up, its replica, and the two other sentinels.
        for (const quint16 port : ports) {
            const QList<QByteArray> address =
                redis_cli(port, password, {"SENTINEL", "get-master-addr-by-name", "statelab"})
                    .out.trimmed()
                    .split('\n');
            QCOMPARE(address, (QList<QByteArray>{"127.0.0.1", port_text(primary_port)}));
            QMap<QByteArray, QByteArray> master;
            QDeadlineTimer deadline(15'000);
            do {
                master = sentinel_master(port, password);
                if (master.value("flags") == "master" && master.value("num-slaves") == "1" &&
                    master.value("num-other-sentinels") == "2")
                    break;
                QThread::msleep(200);
            } while (!deadline.hasExpired());
            QCOMPARE(master.value("flags"), QByteArray("master"));
            QCOMPARE(master.value("num-slaves"), QByteArray("1"));
            QCOMPARE(master.value("num-other-sentinels"), QByteArray("2"));
        }
    }

    void composeNamesTheWholeTopology_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("nodes");
        QTest::addColumn<QStringList>("store"); // besides node-1..N and the balancer
        QTest::newRow("sticky") << int(Mode::sticky) << 3 << QStringList{};
        QTest::newRow("shared-store") << int(Mode::shared_store) << 4 << QStringList{"redis"};
        QTest::newRow("shared-store-ha")
            << int(Mode::shared_store_ha) << 2
            << QStringList{"redis", "redis-replica-1", "sentinel-1", "sentinel-2", "sentinel-3"};
        QTest::newRow("client-token") << int(Mode::client_token) << 1 << QStringList{};
    }
    void composeNamesTheWholeTopology() {
        QFETCH(int, mode);
        QFETCH(int, nodes);
        QFETCH(QStringList, store);
        const QString& python = m_python_with_yaml;
        REQUIRE_TOOL(python,
                     "python3 with PyYAML (Debian package python3-yaml)");
        ExportedCluster exported(settings_for(Mode(mode), nodes));
        QVERIFY2(exported.error.isEmpty(), qPrintable(exported.error));
        const ToolRun parsed = run_tool(python, {"-c", R"(import json, sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
print(json.dumps({name: {"image": s["image"], "mounts": [v.split(":")[0] for v in s.get("volumes", [])]}
                  for name, s in services.items()})))",
                                                 exported.path("compose.yaml")});
        QVERIFY2(parsed.code == 0, (parsed.err + exported.text("compose.yaml")).constData());
        const QJsonObject services = QJsonDocument::fromJson(parsed.out).object();

        QStringList expected = store;
        for (int n = 1; n <= nodes; ++n)
            expected << QStringLiteral("node-%1").arg(n);
        expected << "balancer";
        QStringList names = services.keys();
        names.sort();
        expected.sort();
        QCOMPARE(names, expected);
        QCOMPARE(services["balancer"].toObject()["image"].toString(),
                 QStringLiteral("haproxy:2.6"));
        QCOMPARE(services["node-1"].toObject()["image"].toString(),
                 QStringLiteral("your-app:latest"));
        for (const QString& name : store)
            QCOMPARE(services[name].toObject()["image"].toString(), QStringLiteral("redis:7"));
        for (const QString& name : names)
            for (const auto mount : services[name].toObject()["mounts"].toArray())
                QVERIFY2(QFile::exists(exported.path(mount.toString())),
                         qPrintable(name + " mounts " + mount.toString()));
    }

    void cliWritesTheFilesAndSaysSo() {
        QTemporaryDir dir;
        const QString scenario = dir.filePath("ha.json"), out = dir.filePath("out");
        QVERIFY(write_file(scenario, scenario_json("shared-store-ha", 2)));
        const ToolRun run = run_tool(cli, {"export-config", scenario, "--out", out});
        QVERIFY2(run.code == 0, run.err.constData());
        const QStringList files{"haproxy.cfg",   "redis.conf",   "redis-replica.conf",
                                "sentinel.conf", "compose.yaml", "README.txt"};
        QStringList expected;
        for (const QString& file : files)
            expected << "wrote " + out + "/" + file;
        QCOMPARE(QString::fromUtf8(run.out).trimmed().split('\n'), expected);
        QStringList written = QDir(out).entryList(QDir::Files);
        QCOMPARE(written.size(), files.size());
        QFile readme(out + "/README.txt");
        QVERIFY(readme.open(QIODevice::ReadOnly));
        QVERIFY(readme.readAll().contains("CHANGE-ME"));
    }

    void cliRejectsBadInputInOneLine_data() {
        QTest::addColumn<QByteArray>("scenario"); // empty: no such file
        QTest::addColumn<QString>("mentions");
        QTest::newRow("bad mode") << scenario_json("sticky-ish", 2) << QStringLiteral("mode");
        QTest::newRow("not json") << QByteArray("{ nodes: ") << QStringLiteral("syntax error");
        QTest::newRow("no such file") << QByteArray() << QStringLiteral("missing.json");
    }
    void cliRejectsBadInputInOneLine() {
        QFETCH(QByteArray, scenario);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        const QString path = dir.filePath(scenario.isEmpty() ? "missing.json" : "bad.json");
        if (!scenario.isEmpty()) QVERIFY(write_file(path, scenario));
        const ToolRun run = run_tool(cli, {"export-config", path, "--out", dir.filePath("out")});
        QCOMPARE(run.code, 2);
        const QString err = QString::fromUtf8(run.err).trimmed();
        QVERIFY2(!err.isEmpty() && !err.contains('\n') && err.startsWith("statelab-cli: "),
                 qPrintable(err));
        QVERIFY2(err.contains(mentions, Qt::CaseInsensitive), qPrintable(err));
        QVERIFY(!QDir(dir.filePath("out")).exists()); // nothing written for a bad scenario
    }

    void cliFailsOnAnUnwritableDirectory() {
        QTemporaryDir dir;
        QVERIFY(write_file(dir.filePath("ok.json"), scenario_json("sticky", 2)));
        QVERIFY(write_file(dir.filePath("in-the-way"), "a file, not a directory"));
        const ToolRun run = run_tool(
            cli, {"export-config", dir.filePath("ok.json"), "--out", dir.filePath("in-the-way")});
        QCOMPARE(run.code, 2); // refused before anything is written, as bad input
        const QString err = QString::fromUtf8(run.err).trimmed();
        QVERIFY2(!err.contains('\n') && err.contains("in-the-way") && err.contains("is a file"), qPrintable(err));
    }

    // `export-config --out /etc/haproxy` run as root once replaced a live haproxy.cfg: a folder
    // that holds one of the files it writes is refused, unless --force.
    void cliNeverReplacesFilesWithoutForce() {
        QTemporaryDir dir;
        QVERIFY(write_file(dir.filePath("ok.json"), scenario_json("sticky", 2)));
        const QString live = dir.filePath("etc-haproxy");
        QVERIFY(QDir().mkpath(live));
        QVERIFY(write_file(live + "/haproxy.cfg", "# the live one"));
        const ToolRun refused = run_tool(cli, {"export-config", dir.filePath("ok.json"), "--out", live});
        QCOMPARE(refused.code, 2);
        const QString err = QString::fromUtf8(refused.err).trimmed();
        QVERIFY2(!err.contains('\n') && err.contains("haproxy.cfg") && err.contains("--force"), qPrintable(err));
        QFile kept(live + "/haproxy.cfg");
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("# the live one"));
        kept.close();
        QVERIFY(!QFile::exists(live + "/compose.yaml"));
        const ToolRun forced = run_tool(cli, {"export-config", dir.filePath("ok.json"), "--out", live, "--force"});
        QVERIFY2(forced.code == 0, forced.err.constData());
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QVERIFY(kept.readAll().contains("cookie SRV insert"));
    }

    void cliHelpNamesTheCommand() {
        const ToolRun help = run_tool(cli, {"export-config", "--help"});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.contains("usage: statelab-cli export-config SCENARIO.json --out DIR"));
        QVERIFY(help.out.contains("--out"));
        const ToolRun usage = run_tool(cli, {"--help"});
        QVERIFY(usage.out.contains("export-config SCENARIO.json --out DIR"));
        const ToolRun no_out = run_tool(cli, {"export-config", "x.json"});
        QCOMPARE(no_out.code, 2);
        QVERIFY2(no_out.err.contains("out") && no_out.err.trimmed().count('\n') == 0,
                 no_out.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestConfigExport)
#include "tst_config_export.moc"
