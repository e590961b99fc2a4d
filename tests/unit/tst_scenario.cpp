// Scenario files as a user meets them: good files load with defaults, every broken rule names
// the field (and its line), and the example scenarios shipped in resources/ stay valid.
#include "lab_files.hpp"
#include "model/traffic_fields.hpp"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <sstream>

using namespace statelab;

namespace {

// Line numbers matter in the tests below: name is line 2, traffic line 6, timeline[0] line 8.
const std::string base_text = R"({
  "name": "t",
  "mode": "sticky",
  "nodes": 3,
  "duration_s": 20,
  "traffic": { "users": 300 },
  "timeline": [
    { "at_s": 8, "action": "kill", "target": "node-2" },
    { "at_s": 9, "action": "set", "users": 10 }
  ]
}
)";

// The shipped examples, where the build says they are.
QString scenario_dir() { return QStringLiteral(STATELAB_SCENARIO_DIR); }

const std::string kill_entry = R"({ "at_s": 8, "action": "kill", "target": "node-2" })";

// The base text with one piece replaced; fails loudly if the piece is not there (a typo in a
// test row would otherwise silently test the valid base).
QByteArray with(const std::string& from, const std::string& to) {
    std::string text = base_text;
    const auto at = text.find(from);
    if (at == std::string::npos) qFatal("test bug: '%s' not in the base scenario", from.c_str());
    text.replace(at, from.size(), to);
    return QByteArray::fromStdString(text);
}

QByteArray with_entry(const std::string& entry) {
    return with(kill_entry, entry);
}

ScenarioResult parse(const QByteArray& text) {
    return parse_scenario(std::string_view(text.constData(), text.size()), "t.json");
}

QString error_of(const ScenarioResult& result) {
    return QString::fromStdString(result.error);
}

} // namespace

class TestScenario : public QObject {
    Q_OBJECT

private slots:
    // Every traffic field of the table is read, written and told in the change log the same
    // way: a value other than the default survives a save and a load, and a change names it.
    void everyTrafficFieldRoundTrips() {
        for (const statelab::TrafficField& field : statelab::traffic_fields()) {
            statelab::Scenario scenario;
            scenario.name = "fields";
            statelab::TrafficSettings& t = scenario.traffic;
            const statelab::TrafficSettings defaults;
            // A value other than the default, within the field's range.
            auto give = [&](const statelab::TrafficField& f) {
                std::visit(
                    [&](auto member) {
                        using Value = std::remove_cvref_t<decltype(t.*member)>;
                        if constexpr (std::is_same_v<Value, std::string>) t.*member = std::string(f.choices.back());
                        else if constexpr (std::is_same_v<Value, int>) t.*member = static_cast<int>(f.min) + 3;
                        else t.*member = f.type == statelab::FieldType::share ? 0.25 : f.min + 1.5;
                    },
                    f.member);
            };
            give(field);
            if (!field.written_with.empty()) give(statelab::traffic_field(field.written_with)); // written only with it
            const std::string key(field.key);
            QVERIFY2(!field.same(t, defaults), key.c_str());
            const std::string text = statelab::scenario_to_json(scenario);
            const auto back = statelab::parse_scenario(text, "t.json");
            QVERIFY2(back.ok(), (key + ": " + back.error + "\n" + text).c_str());
            QVERIFY2(field.same(back.scenario->traffic, t), (key + ": " + field.text(back.scenario->traffic) + " read back, " + field.text(t) + " written").c_str());
            const std::string change = statelab::describe_change(defaults, t);
            QVERIFY2(change.find(std::string(field.change_label) + " " + field.text(defaults) + " -> " + field.text(t)) != std::string::npos,
                     (key + ": " + change).c_str());
        }
    }

    void appliesDefaults() {
        const auto result = parse(QByteArray::fromStdString(base_text));
        QVERIFY2(result.ok(), result.error.c_str());
        const Scenario& s = *result.scenario;
        QCOMPARE(s.name, std::string("t"));
        QCOMPARE(s.mode, Mode::sticky);
        QCOMPARE(s.nodes, 3);
        QCOMPARE(s.duration_s, 20.0);
        QCOMPARE(s.balancer, BalancerKind::builtin);
        QCOMPARE(s.session_ttl_s, 1800);
        QCOMPARE(s.session_padding, 0);
        QCOMPARE(s.traffic.users, 300);
        QCOMPARE(s.traffic.think_ms, 100);
        QCOMPARE(s.traffic.journey, std::string("shop"));
        QCOMPARE(s.traffic.browse_share, 0.5);
        QCOMPARE(s.traffic.rate, 0.0);
        QCOMPARE(s.traffic.source_addresses, 0); // one address per user
        QCOMPARE(s.traffic.retry, std::string("none"));
        QCOMPARE(s.traffic.item_bytes, 0);
        QCOMPARE(s.traffic.idle_close_ms, server_keep_alive_ms); // as a browser: the server's keep-alive
        QCOMPARE(s.timeline.size(), std::size_t(2));
        QCOMPARE(s.timeline[0].target, std::string("node-2"));
        QCOMPARE(s.timeline[1].users, std::optional<int>(10));
    }

    void readsEveryOptionalField() {
        const auto result = parse(R"({"name": "all", "mode": "client-token", "nodes": 32,
            "balancer": "haproxy", "duration_s": 2.5, "session_ttl_s": 60,
            "session_padding": 1048576,
            "traffic": {"users": 100000, "think_ms": 0, "journey": "mix",
                        "browse_share": 0.25, "rate": 50, "source_addresses": 5,
                        "address_change_share": 0.3, "address_change_every_s": 2.5,
                        "retry": "naive", "item_bytes": 200, "idle_close_ms": 2500},
            "timeline": [{"at_s": 2.5, "action": "set", "rate": 0, "think_ms": 5,
                          "journey": "browse"}]})");
        QVERIFY2(result.ok(), result.error.c_str());
        const Scenario& s = *result.scenario;
        QCOMPARE(s.mode, Mode::client_token);
        QCOMPARE(s.balancer, BalancerKind::haproxy);
        QCOMPARE(s.session_padding, 1048576);
        QCOMPARE(s.traffic.journey, std::string("mix"));
        QCOMPARE(s.traffic.source_addresses, 5);
        QCOMPARE(s.traffic.address_change_share, 0.3);
        QCOMPARE(s.traffic.address_change_every_s, 2.5);
        QCOMPARE(s.traffic.retry, std::string("naive"));
        QCOMPARE(s.traffic.item_bytes, 200);
        QCOMPARE(s.traffic.idle_close_ms, 2500);
        QVERIFY(s.traffic.open_loop());
        QCOMPARE(s.timeline[0].rate, std::optional<double>(0));
        QCOMPARE(s.timeline[0].journey, std::optional<std::string>("browse"));
        QVERIFY(!s.timeline[0].users);
    }

    void sortsTimelineByTimeKeepingFileOrderForTies() {
        const auto result =
            parse(with_entry(R"({ "at_s": 9, "action": "pause", "target": "node-1" },
            { "at_s": 1, "action": "kill", "target": "node-3" })"));
        QVERIFY2(result.ok(), result.error.c_str());
        std::vector<std::string> order;
        for (const auto& action : result.scenario->timeline)
            order.push_back(action_name(action.action));
        QCOMPARE(order, (std::vector<std::string>{"kill", "pause", "set"}));
    }

    void rejectsBrokenRules_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("hint");

        auto row = [](const char* tag, QByteArray text, const char* field, int line,
                      const char* hint = "") {
            QTest::newRow(tag) << text << QString(field) << line << QString(hint);
        };
        row("name missing", with("\"name\": \"t\",\n", ""), "name", 1, "missing");
        row("name empty", with("\"t\"", "\"\""), "name", 2, "non-empty");
        row("mode unknown", with("\"sticky\"", "\"stiky\""), "mode", 3, "one of");
        row("nodes 40", with("\"nodes\": 3", "\"nodes\": 40"), "nodes", 4,
            "must be an integer from 1 to 32, got 40");
        row("nodes 0", with("\"nodes\": 3", "\"nodes\": 0"), "nodes", 4, "got 0");
        row("nodes fraction", with("\"nodes\": 3", "\"nodes\": 2.5"), "nodes", 4, "integer");
        row("nodes string", with("\"nodes\": 3", "\"nodes\": \"3\""), "nodes", 4, "integer");
        row("duration 0", with("\"duration_s\": 20", "\"duration_s\": 0"), "duration_s", 5);
        row("duration > a day", with("\"duration_s\": 20", "\"duration_s\": 86401"), "duration_s",
            5, "86400");
        row("traffic missing", with("\"traffic\": { \"users\": 300 },\n", ""), "traffic", 1);
        row("traffic not object", with("{ \"users\": 300 }", "300"), "traffic", 6);
        row("users missing", with("{ \"users\": 300 }", "{ }"), "traffic.users", 6, "missing");
        row("users negative", with("\"users\": 300", "\"users\": -1"), "traffic.users", 6);
        row("users too many", with("\"users\": 300", "\"users\": 100001"), "traffic.users", 6);
        row("think negative", with("\"users\": 300", "\"users\": 3, \"think_ms\": -5"),
            "traffic.think_ms", 6);
        row("journey unknown", with("\"users\": 300", "\"users\": 3, \"journey\": \"walk\""),
            "traffic.journey", 6, "shop, browse, mix");
        row("source addresses 0", with("\"users\": 300", "\"users\": 3, \"source_addresses\": 0"),
            "traffic.source_addresses", 6, "from 1 to 100000");
        row("roaming every 0.1 s", with("\"users\": 300", "\"users\": 3, \"address_change_every_s\": 0.1"),
            "traffic.address_change_every_s", 6);
        row("retry unknown", with("\"users\": 300", "\"users\": 3, \"retry\": \"twice\""),
            "traffic.retry", 6, "none, naive, idempotent");
        row("item bytes past the backend's limit", with("\"users\": 300", "\"users\": 3, \"item_bytes\": 300"),
            "traffic.item_bytes", 6, "from 0 to 256");
        row("idle close negative", with("\"users\": 300", "\"users\": 3, \"idle_close_ms\": -1"),
            "traffic.idle_close_ms", 6);
        row("browse share > 1", with("\"users\": 300", "\"users\": 3, \"browse_share\": 1.5"),
            "traffic.browse_share", 6);
        row("rate negative", with("\"users\": 300", "\"users\": 3, \"rate\": -1"), "traffic.rate",
            6);
        row("balancer unknown", with("\"nodes\": 3,", "\"nodes\": 3, \"balancer\": \"nginx\","),
            "balancer", 4, "builtin, haproxy");
        row("ttl zero", with("\"nodes\": 3,", "\"nodes\": 3, \"session_ttl_s\": 0,"),
            "session_ttl_s", 4);
        row("padding too big", with("\"nodes\": 3,", "\"nodes\": 3, \"session_padding\": 1048577,"),
            "session_padding", 4);
        row("unknown root key", with("\"nodes\": 3,", "\"nodes\": 3,\n  \"duraton_s\": 20,"),
            "duraton_s", 5, "did you mean 'duration_s'");
        row("unknown traffic key", with("\"users\": 300", "\"userz\": 300"), "traffic.userz", 6,
            "did you mean 'users'");
        row("timeline not array",
            with(base_text.substr(base_text.find("\"timeline\"")), "\"timeline\": 1 }"), "timeline",
            7);
        row("entry not object", with_entry("7"), "timeline[0]", 8);
        row("at_s missing", with_entry(R"({ "action": "kill", "target": "node-2" })"),
            "timeline[0].at_s", 8, "missing");
        row("at_s negative", with_entry(R"({ "at_s": -1, "action": "add" })"), "timeline[0].at_s",
            8);
        row("at_s after end", with_entry(R"({ "at_s": 21, "action": "add" })"), "timeline[0].at_s",
            8, "from 0 to 20");
        row("action unknown", with_entry(R"({ "at_s": 1, "action": "explode" })"),
            "timeline[0].action", 8, "kill, stop");
        row("target missing", with_entry(R"({ "at_s": 1, "action": "kill" })"),
            "timeline[0].target", 8, "missing");
        row("add with target", with_entry(R"({ "at_s": 1, "action": "add", "target": "node-4" })"),
            "timeline[0].target", 8, "no target");
        row("unknown node", with_entry(R"({ "at_s": 1, "action": "kill", "target": "node-9" })"),
            "timeline[0].target", 8, "unknown target 'node-9' (nodes are node-1..node-3");
        row("node zero", with_entry(R"({ "at_s": 1, "action": "stop", "target": "node-0" })"),
            "timeline[0].target", 8, "unknown target");
        row("redis outside shared-store",
            with_entry(R"({ "at_s": 1, "action": "kill", "target": "redis" })"),
            "timeline[0].target", 8, "shared-store");
        row("sentinel outside shared-store-ha",
            with_entry(R"({ "at_s": 1, "action": "kill", "target": "sentinel-1" })"),
            "timeline[0].target", 8, "exists only in the shared-store modes");
        row("run without a target", with_entry(R"({ "at_s": 1, "action": "run", "target": "node-2" })"),
            "timeline[0].action", 8, "only a \"target\" scenario has");
        row("remove balancer",
            with_entry(R"({ "at_s": 1, "action": "remove", "target": "balancer" })"),
            "timeline[0].target", 8, "takes a node");
        row("set without fields", with(", \"users\": 10 }", " }"), "timeline[1]", 9,
            "at least one of");
        row("set too many users", with("\"users\": 10 }", "\"users\": 100001 }"),
            "timeline[1].users", 9);
        row("set bad journey", with("\"users\": 10 }", "\"journey\": \"fly\" }"),
            "timeline[1].journey", 9);
        row("set with target", with("\"users\": 10 }", "\"users\": 10, \"target\": \"node-1\" }"),
            "timeline[1].target", 9, "no target");
        row("kill with users",
            with_entry(R"({ "at_s": 1, "action": "kill", "target": "node-1", "users": 5 })"),
            "timeline[0].users", 8, "only 'set'");
        row("unknown entry key",
            with_entry(R"({ "at_s": 1, "action": "kill", "tagret": "node-1" })"),
            "timeline[0].tagret", 8, "did you mean 'target'");
        row("duplicate key", with("\"nodes\": 3,", "\"nodes\": 3,\n  \"nodes\": 4,"), "nodes", 5,
            "twice");
    }

    void rejectsBrokenRules() {
        QFETCH(QByteArray, text);
        QFETCH(QString, field);
        QFETCH(int, line);
        QFETCH(QString, hint);
        const auto result = parse(text);
        QVERIFY(!result.ok());
        const QString error = error_of(result);
        const QString expected = QStringLiteral("t.json:%1: field '%2': ").arg(line).arg(field);
        QVERIFY2(error.startsWith(expected), qPrintable(error + "\nexpected: " + expected));
        QVERIFY2(error.contains(hint), qPrintable(error));
        QVERIFY2(!error.contains('\n'), qPrintable(error));
    }

    void reportsSyntaxErrorLineAndColumn() {
        // The missing comma after "mode" is noticed at the next key: line 4, column 3.
        const auto result =
            parse("{\n  \"name\": \"t\",\n  \"mode\": \"sticky\"\n  \"nodes\": 3\n}");
        const QString error = error_of(result);
        QVERIFY2(error.startsWith("t.json:4:3: JSON syntax error: "), qPrintable(error));
        QVERIFY2(error.contains("missing comma"), qPrintable(error));
        QVERIFY(!error.contains("json.exception")); // the library's internals stay hidden

        const QString truncated = error_of(parse("{\n  \"name\": \"t\",\n"));
        QVERIFY2(truncated.startsWith("t.json:3:1: JSON syntax error: "), qPrintable(truncated));
        QVERIFY(error_of(parse("")).startsWith("t.json:1:1: JSON syntax error"));
        QVERIFY(error_of(parse("[1, 2]")).contains("must be a JSON object"));
    }

    void countsAddsBeforeATargetInTimeOrder() {
        // node-4 exists once the add at 5 s has happened, even when listed after the kill.
        const auto later = parse(with_entry(R"({ "at_s": 6, "action": "kill", "target": "node-4" },
            { "at_s": 5, "action": "add" })"));
        QVERIFY2(later.ok(), later.error.c_str());
        const auto earlier =
            parse(with_entry(R"({ "at_s": 4, "action": "kill", "target": "node-4" },
            { "at_s": 5, "action": "add" })"));
        QVERIFY2(error_of(earlier).contains("field 'timeline[0].target'"),
                 qPrintable(error_of(earlier)));
    }

    void writerRoundTrips() {
        Scenario s;
        s.name = "round \"trip\"";
        s.mode = Mode::shared_store;
        s.nodes = 4;
        s.balancer = BalancerKind::haproxy;
        s.duration_s = 12.5;
        s.session_ttl_s = 90;
        s.session_padding = 4096;
        s.traffic = {
            .users = 42, .think_ms = 7, .rate = 3.5, .journey = "mix", .browse_share = 0.2, .source_addresses = 9,
            .retry = "idempotent", .item_bytes = 64, .shared_link_share = 0.1,
            .idle_close_ms = 0};
        s.session_in_url = true;
        s.cache_round_robin = true;
        s.cache_version_check = false;
        s.timeline.resize(3);
        s.timeline[0].at_s = 1.25;
        s.timeline[0].action = Action::kill;
        s.timeline[0].target = "redis";
        s.timeline[1].at_s = 2;
        s.timeline[1].action = Action::add;
        s.timeline[2].at_s = 3;
        s.timeline[2].action = Action::set;
        s.timeline[2].users = 10;
        s.timeline[2].journey = "browse";

        const std::string text = scenario_to_json(s);
        const auto back = parse_scenario(text);
        QVERIFY2(back.ok(), (back.error + "\n" + text).c_str());
        const Scenario& r = *back.scenario;
        QCOMPARE(r.name, s.name);
        QCOMPARE(r.mode, s.mode);
        QCOMPARE(r.nodes, s.nodes);
        QCOMPARE(r.balancer, s.balancer);
        QCOMPARE(r.duration_s, s.duration_s);
        QCOMPARE(r.session_ttl_s, s.session_ttl_s);
        QCOMPARE(r.session_padding, s.session_padding);
        QCOMPARE(r.traffic.users, 42);
        QCOMPARE(r.traffic.think_ms, 7);
        QCOMPARE(r.traffic.rate, 3.5);
        QCOMPARE(r.traffic.journey, std::string("mix"));
        QCOMPARE(r.traffic.browse_share, 0.2);
        QCOMPARE(r.traffic.source_addresses, 9);
        QCOMPARE(r.traffic.retry, std::string("idempotent"));
        QCOMPARE(r.traffic.item_bytes, 64);
        QCOMPARE(r.traffic.shared_link_share, 0.1);
        QCOMPARE(r.traffic.idle_close_ms, 0); // "never close" is not the default: it is written
        QVERIFY(r.session_in_url && r.cache_round_robin && !r.cache_version_check);
        QCOMPARE(r.timeline.size(), std::size_t(3));
        QCOMPARE(r.timeline[0].target, std::string("redis"));
        QCOMPARE(r.timeline[0].at_s, 1.25);
        QVERIFY(r.timeline[1].target.empty());
        QCOMPARE(r.timeline[2].users, std::optional<int>(10));
        QCOMPARE(r.timeline[2].journey, std::optional<std::string>("browse"));
        QVERIFY(!r.timeline[2].rate);
        // Whole numbers stay whole in a saved file: people read and diff these.
        QVERIFY2(text.find("\"at_s\": 2,") != std::string::npos, text.c_str());
        QCOMPARE(scenario_to_json(r), text);
    }

    void examplesValidate() {
        const QDir dir(scenario_dir());
        const auto files = dir.entryInfoList({"*.json"}, QDir::Files);
        QVERIFY2(files.size() >= 6, qPrintable(dir.path()));
        for (const QFileInfo& file : files) {
            const auto result = load_scenario_file(file.filePath().toStdString());
            QVERIFY2(result.ok(), result.error.c_str());
            // What the GUI saves must load back the same.
            const auto saved = parse_scenario(scenario_to_json(*result.scenario));
            QVERIFY2(saved.ok(), saved.error.c_str());
        }
        const auto demo = load_scenario_file(dir.filePath("demo.json").toStdString());
        QVERIFY2(demo.ok(), demo.error.c_str());
        QCOMPARE(demo.scenario->traffic.users, 200);
        QCOMPARE(demo.scenario->timeline.at(0).target, std::string("node-2"));
        const auto scale = load_scenario_file(dir.filePath("scale-out.json").toStdString());
        QVERIFY2(scale.ok(), scale.error.c_str());
        QCOMPARE(scale.scenario->nodes, 2);
    }

    void validateCommandSummarisesOrExplains() {
        const QString dir = scenario_dir();
        std::ostringstream out, err;
        QCOMPARE(validate_command((dir + "/sticky-kill.json").toStdString(), out, err), 0);
        QCOMPARE(out.str(), std::string("ok: sticky: kill node-2 (sticky, 3 nodes, 20 s, "
                                        "2 timeline actions)\n"));
        QVERIFY(err.str().empty());

        QTemporaryDir temp;
        const QString bad = temp.filePath("bad.json");
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(with("\"nodes\": 3", "\"nodes\": 40"));
        file.close();
        std::ostringstream out2, err2;
        QCOMPARE(validate_command(bad.toStdString(), out2, err2), 2);
        QCOMPARE(QString::fromStdString(err2.str()),
                 "statelab-cli: " + bad +
                     ":4: field 'nodes': must be an integer from 1 to 32, got 40\n");
        QVERIFY(out2.str().empty());

        std::ostringstream out3, err3;
        QCOMPARE(validate_command(temp.filePath("missing.json").toStdString(), out3, err3), 2);
        QVERIFY2(QString::fromStdString(err3.str()).contains("missing.json: cannot read"),
                 err3.str().c_str());
        std::ostringstream out4, err4;
        QCOMPARE(validate_command(temp.path().toStdString(), out4, err4), 2);
        QVERIFY2(QString::fromStdString(err4.str()).contains("directory"), err4.str().c_str());

        // A target driven by the built-in journey: validate says what that journey expects there.
        const QString target = temp.filePath("target.json");
        QFile targetFile(target);
        QVERIFY(targetFile.open(QIODevice::WriteOnly));
        targetFile.write("{\"name\": \"t\", \"target\": {\"url\": \"http://127.0.0.1:8080\"}, \"duration_s\": 5, \"traffic\": {\"users\": 1}}");
        targetFile.close();
        std::ostringstream out5, err5;
        QCOMPARE(validate_command(target.toStdString(), out5, err5), 0);
        QVERIFY2(out5.str().find("note: the built-in shop journey expects the lab's shop (POST /login, GET /cart, POST "
                                 "/cart/items) at http://127.0.0.1:8080") != std::string::npos,
                 out5.str().c_str());
    }
};

QTEST_APPLESS_MAIN(TestScenario)
#include "tst_scenario.moc"
