// A journey declared in a scenario (traffic.journey as an object): the shipped example (the lab's
// shop, declared) loads; its verdicts are the built-in shop's on the same answers; state checks,
// captures and placeholders do what the README says; bad declarations get one line naming the
// field.
#include "lab_files.hpp"
#include "load/declared_run.hpp"
#include "load/user_connection.hpp"

#include <QtTest>

#include <nlohmann/json.hpp>

#include "declared_journey_fixtures.hpp"

using namespace statelab;

namespace {

const std::string example = STATELAB_SOURCE_DIR "/resources/targets/own-app-shop.json";

Response answer(int status, const std::string& body, std::initializer_list<std::pair<const char*, const char*>> headers = {}) {
    Response res{static_cast<http::status>(status), 11};
    res.body() = body;
    for (const auto& [name, value] : headers) res.set(name, value);
    return res;
}

std::string cart_of(const std::vector<std::string>& items) {
    std::string out = "{\"user\":\"u1\",\"items\":[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\"" : "\"") + items[i] + "\"";
    return out + "]}";
}

// The value a declared add writes, from its request's path (".../cart/items?item=VALUE").
std::string item_of(const DeclaredRequest& r) { return r.target.substr(r.target.find('=') + 1); }

DeclaredJourneyPtr shop() {
    const ScenarioResult parsed = load_scenario_file(example);
    if (!parsed) qFatal("%s", parsed.error.c_str());
    return parsed.scenario->traffic.declared;
}

std::string first_error(const std::string& journey) {
    const std::string text = std::string(R"({"name":"t","target":{"url":"http://127.0.0.1:8080"},)") +
                             R"("duration_s":5,"traffic":{"users":1,"journey":)" + journey + "}}";
    return parse_scenario(text, "s.json").error;
}

} // namespace

class TestDeclaredJourney : public QObject {
    Q_OBJECT
private slots:
    void theExampleLoads() {
        const ScenarioResult parsed = load_scenario_file(example);
        QVERIFY2(parsed.ok(), parsed.error.c_str());
        const Scenario& s = *parsed.scenario;
        QVERIFY(s.target);
        QCOMPARE(s.target->host, std::string("127.0.0.1"));
        QCOMPARE(s.target->port, std::uint16_t(8080));
        QCOMPARE(s.target->actions.at("node-2").at(Action::kill), std::string("docker kill web-2"));
        QCOMPARE(s.traffic.journey, std::string("declared"));
        QCOMPARE(static_cast<int>(s.traffic.declared->steps.size()), 5);
        // Saved and read again: the same declaration, target and commands.
        const ScenarioResult again = parse_scenario(scenario_to_json(s), "saved.json");
        QVERIFY2(again.ok(), again.error.c_str());
        QCOMPARE(again.scenario->traffic.declared->json, s.traffic.declared->json);
        QCOMPARE(again.scenario->target->actions, s.target->actions);
        QCOMPARE(again.scenario->target->url, s.target->url);
    }

    // The shop, declared, walks login -> adds -> cart -> checkout -> logout and counts a loss
    // exactly where the built-in journey does: a 401 or a cart without what the user put in.
    void theDeclaredShopJudgesAsTheBuiltInOne() {
        CookieJar jar;
        DeclaredRun run(shop(), "u1", 7);
        DeclaredRequest login = run.next_request();
        QCOMPARE(login.target, std::string("/login?user=u1"));
        QCOMPARE(login.verb, http::verb::post);
        Verdict v = run.on_response(answer(200, cart_of({}), {{"X-Session", "new"}}), jar);
        QVERIFY(v.created && !v.lost && run.in_session());
        std::vector<std::string> items;
        while (run.step_index() == 1) {
            const DeclaredRequest add = run.next_request();
            items.push_back(item_of(add));
            v = run.on_response(answer(200, cart_of(items), {{"X-Session", "hit"}}), jar);
            QVERIFY(!v.lost && !v.failed && v.hit);
        }
        QVERIFY(!items.empty() && items.size() <= 5);
        QCOMPARE(run.written("items"), items);
        QCOMPARE(run.next_request().target, std::string("/cart"));
        // A cart that lost an item: the session is gone; the user logs in again.
        std::vector<std::string> fewer(items.begin(), items.end() - 1);
        v = run.on_response(answer(200, cart_of(fewer)), jar);
        QVERIFY(v.lost);
        QVERIFY(!run.in_session());
        QCOMPARE(run.step_index(), std::size_t(0));
        // Again, and this time a 401 in the middle: lost too.
        run.next_request();
        run.on_response(answer(200, cart_of({})), jar);
        run.next_request();
        v = run.on_response(answer(401, "", {{"X-Session", "miss"}}), jar);
        QVERIFY(v.lost && v.miss);
        // A 401 before any session is a failure, not a loss.
        run.next_request();
        v = run.on_response(answer(401, ""), jar);
        QVERIFY(!v.lost && v.failed);
    }

    // A cart with somebody else's item fails an exact check; an add whose answer never came may
    // show up later (applied after all) without a loss, and must then stay.
    void exactChecksAndWritesInDoubt() {
        const ScenarioResult parsed = parse_scenario(in_doubt_scenario, "t.json");
        QVERIFY2(parsed.ok(), parsed.error.c_str());
        CookieJar jar;
        DeclaredRun run(parsed.scenario->traffic.declared, "u1", 3);
        run.next_request();
        run.on_response(answer(200, cart_of({})), jar);
        const std::string first = item_of(run.next_request());
        run.on_transport_failure(); // no answer: applied or not, nobody knows yet
        QVERIFY(run.written("items").empty());
        QCOMPARE(run.step_index(), std::size_t(1));
        const std::string second = item_of(run.next_request());
        Verdict v = run.on_response(answer(200, cart_of({first, second})), jar);
        QVERIFY2(!v.lost, "a write in doubt that was applied is no loss");
        // The journey ended (two adds): a new session; in it, an item the user never wrote.
        QCOMPARE(run.step_index(), std::size_t(0));
        run.next_request();
        run.on_response(answer(200, cart_of({})), jar);
        const std::string mine = item_of(run.next_request());
        v = run.on_response(answer(200, cart_of({mine, first})), jar);
        QVERIFY2(v.lost, "an exact check refuses an item the user did not write in this session");
    }

    void capturesAndPlaceholders() {
        const std::string text = captures_scenario;
        const ScenarioResult parsed = parse_scenario(text, "t.json");
        QVERIFY2(parsed.ok(), parsed.error.c_str());
        CookieJar jar;
        Response login = answer(200, R"({"auth":{"token":"a b/c"}})", {{"X-Node", "web-1"}, {"Set-Cookie", "SID=s1; Path=/"}});
        jar.absorb(login);
        DeclaredRun run(parsed.scenario->traffic.declared, "u9", 1);
        const DeclaredRequest first = run.next_request();
        QCOMPARE(first.body, std::string(R"({"name":"u9"})"));
        QVERIFY(!run.on_response(login, jar).failed);
        const DeclaredRequest put = run.next_request();
        QCOMPARE(put.verb, http::verb::put);
        QVERIFY2(put.target == "/notes/a%20b%2Fc?n=2", put.target.c_str()); // a captured value is %-encoded in a path
        QCOMPARE(put.headers.at(0).second, std::string("Bearer a b/c"));
        QCOMPARE(put.body, std::string(R"({"text":"note 2"})"));
        const Verdict v = run.on_response(answer(201, R"({"notes":["older","note 2"]})"), jar); // holds, not exact
        QVERIFY(!v.lost && !v.failed);
        QCOMPARE(run.think_ms(100), 5);
    }

    // A value the target sends back is data, never protocol: with CR LF in it, the step that
    // would put it in a header is refused (never sent, a bad_capture failure); in a path it is
    // %-encoded.
    void aCapturedLineBreakNeverReachesAHeader() {
        const ScenarioResult parsed = parse_scenario(captures_scenario, "t.json");
        QVERIFY2(parsed.ok(), parsed.error.c_str());
        CookieJar jar;
        const std::string smuggled = "x\r\nX-Injected: yes\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t";
        const Response login = answer(200, nlohmann::json{{"auth", {{"token", smuggled}}}}.dump(),
                                      {{"X-Node", "web-1"}, {"Set-Cookie", "SID=s1; Path=/"}});
        jar.absorb(login);
        DeclaredRun run(parsed.scenario->traffic.declared, "u1", 1);
        (void)run.next_request();
        QVERIFY(!run.on_response(login, jar).failed);
        const DeclaredRequest put = run.next_request();
        QVERIFY2(put.refused.find("header 'Authorization'") != std::string::npos, put.refused.c_str());
        QVERIFY2(put.target.find_first_of("\r\n") == std::string::npos, put.target.c_str());
        QVERIFY(put.target.starts_with("/notes/x%0D%0AX-Injected"));
        run.on_refused(); // a new session: the first step again
        QCOMPARE(run.step_index(), std::size_t(0));
        QVERIFY(run.next_request().refused.empty());
    }

    // A site that sets ever new cookies: the jar keeps what a browser keeps (4096 bytes a
    // cookie, 50 cookies, the oldest going first), so its Cookie header always fits one header.
    void theCookieJarStaysWithinWhatAHeaderCarries() {
        CookieJar jar;
        jar.absorb(answer(200, "", {{"Set-Cookie", "SID=s1; Path=/"}}));
        const std::string big(5000, 'b');
        Response huge = answer(200, "");
        huge.set("Set-Cookie", "BIG=" + big);
        jar.absorb(huge);
        QVERIFY(jar.value("BIG").empty()); // over 4096 bytes: not kept
        for (int i = 0; i < 200; ++i) {
            Response more = answer(200, "");
            more.set("Set-Cookie", "c" + std::to_string(i) + "=" + std::string(3000, 'x'));
            jar.absorb(more);
        }
        QVERIFY2(jar.header().size() <= 60'000, qPrintable(QString::number(jar.header().size())));
        QCOMPARE(jar.value("c199").size(), std::size_t(3000)); // the newest stay
        QVERIFY(jar.value("SID").empty());                     // the oldest went first
    }

    // "equals": the answer's field is a known value ("{user}"), no write-on-login needed.
    void aCheckThatAFieldEqualsAValue() {
        const ScenarioResult parsed = parse_scenario(equals_scenario, "t.json");
        QVERIFY2(parsed.ok(), parsed.error.c_str());
        CookieJar jar;
        DeclaredRun run(parsed.scenario->traffic.declared, "u7", 1);
        QCOMPARE(run.next_request().target, std::string("/login?user=u7"));
        QVERIFY(!run.on_response(answer(200, "{}"), jar).failed);
        QCOMPARE(run.next_request().target, std::string("/me"));
        const Verdict mine = run.on_response(answer(200, R"({"user": "u7"})"), jar);
        QVERIFY(!mine.lost && !mine.failed);
        (void)run.next_request(); // after the last step: a new session, the login again
        QVERIFY(!run.on_response(answer(200, "{}"), jar).failed);
        QCOMPARE(run.next_request().target, std::string("/me"));
        QVERIFY(run.on_response(answer(200, R"({"user": "u8"})"), jar).lost); // somebody else's session
        const std::string both = std::string(equals_scenario).replace(std::string(equals_scenario).find("\"equals\""), 8, "\"holds\":\"x\",\"equals\"");
        const ScenarioResult refused = parse_scenario(both, "t.json");
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error.find("a check is one of them") != std::string::npos, refused.error.c_str());
    }

    // A checking read whose answer never came (the server was killed mid-request) is sent again,
    // so the loss is seen; not more than three times in a row.
    void aLostCheckingReadIsReadAgain() {
        const ScenarioResult parsed = parse_scenario(equals_scenario, "t.json");
        QVERIFY2(parsed.ok(), parsed.error.c_str());
        CookieJar jar;
        DeclaredRun run(parsed.scenario->traffic.declared, "u7", 1);
        (void)run.next_request();
        QVERIFY(!run.on_response(answer(200, "{}"), jar).failed);
        QCOMPARE(run.next_request().target, std::string("/me"));
        (void)run.on_transport_failure();
        QCOMPARE(run.next_request().target, std::string("/me")); // read again, not a new login
        QVERIFY(run.on_response(answer(200, R"({"user": "somebody"})"), jar).lost);
        // A read that keeps failing is given up after three more tries.
        (void)run.next_request();
        QVERIFY(!run.on_response(answer(200, "{}"), jar).failed);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(run.next_request().target, std::string("/me"));
            (void)run.on_transport_failure();
        }
        QCOMPARE(run.next_request().target, std::string("/me"));
        (void)run.on_transport_failure();
        QCOMPARE(run.next_request().target, std::string("/login?user=u7"));
    }

    // A first try writes the steps alone: "journey": [ ... ] is {"steps": [ ... ]}.
    void stepsAloneAreTheJourney() {
        std::string text = captures_scenario;
        const std::string from = R"("journey":{"steps":[)";
        const auto at = text.find(from);
        QVERIFY(at != std::string::npos);
        text.replace(at, from.size(), R"("journey":[)");
        const auto close = text.rfind("]}}}"); // the steps' end, the journey's, the traffic's, the file's
        QVERIFY(close != std::string::npos);
        text.replace(close, 4, "]}}");
        const ScenarioResult parsed = parse_scenario(text, "t.json");
        QVERIFY2(parsed.ok(), parsed.error.c_str());
        QCOMPARE(parsed.scenario->traffic.journey, std::string("declared"));
        QCOMPARE(parsed.scenario->traffic.declared->steps.size(), std::size_t(2));
    }

    void badDeclarationsNameTheField_data() {
        QTest::addColumn<QString>("journey");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no steps") << R"({"steps":[]})" << "field 'traffic.journey.steps': must be an array of 1 to 64 steps";
        QTest::newRow("path") << R"({"steps":[{"path":"cart"}]})" << "field 'traffic.journey.steps[0].path': must start with '/'";
        QTest::newRow("method") << R"({"steps":[{"method":"FETCH","path":"/"}]})" << "field 'traffic.journey.steps[0].method': must be one of GET, POST";
        QTest::newRow("unknown placeholder") << R"({"steps":[{"path":"/a/{token}"}]})" << "uses {token}, which is not known here";
        QTest::newRow("captured later") << R"({"steps":[{"path":"/a/{t}"},{"path":"/b","capture":{"t":{"json":"x"}}}]})" << "uses {t}, which is not known here";
        QTest::newRow("check of nothing") << R"({"steps":[{"path":"/","check":[{"field":"items","holds":"cart"}]}]})" << "no step up to here writes the state 'cart'";
        QTest::newRow("typo") << R"({"steps":[{"path":"/","expekt":200}]})" << "did you mean 'expect'?";
        QTest::newRow("status") << R"({"steps":[{"path":"/","expect":700}]})" << "field 'traffic.journey.steps[0].expect': must be an integer from 100 to 599";
        QTest::newRow("line break in a path") << R"({"steps":[{"path":"/a\r\nX-Injected: 1"}]})"
                                              << "field 'traffic.journey.steps[0].path': holds CR, LF or NUL";
        QTest::newRow("line break in a header value") << R"({"steps":[{"path":"/","headers":{"X-A":"1\r\nX-B: 2"}}]})"
                                                      << "field 'traffic.journey.steps[0].headers.X-A': holds CR, LF or NUL";
        QTest::newRow("NUL in a header name") << R"({"steps":[{"path":"/","headers":{"X-\u0000A":"1"}}]})"
                                              << "is not a header name";
        QTest::newRow("first step never done") << R"({"steps":[{"path":"/","repeat":0}]})" << "the first step starts the session";
    }
    void badDeclarationsNameTheField() {
        QFETCH(QString, journey);
        QFETCH(QString, expected);
        const QString error = QString::fromStdString(first_error(journey.toStdString()));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(!error.contains('\n'), qPrintable(error));
    }

    void badTargetsNameTheField_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("expected");
        for (const auto& [json, expected] : bad_targets)
            QTest::newRow(expected) << QString::fromUtf8(json) << QString::fromUtf8(expected);
    }
    void badTargetsNameTheField() {
        QFETCH(QString, scenario);
        QFETCH(QString, expected);
        const QString error = QString::fromStdString(parse_scenario(scenario.toStdString(), "s.json").error);
        QVERIFY2(error.contains(expected), qPrintable(error));
    }
};

QTEST_APPLESS_MAIN(TestDeclaredJourney)
#include "tst_declared_journey.moc"
