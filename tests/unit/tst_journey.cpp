// The client-side verdicts that decide "lost session": a virtual user must count a loss exactly
// when its cart is gone or wrong, and never for an answer that is merely late or uncertain.
#include "load/journey.hpp"

#include <QtTest>

using namespace statelab;
using K = Step::Kind;

namespace {

std::string cart_of(const std::vector<std::string>& items) {
    std::string out = "{\"user\":\"u1\",\"items\":[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\"" : "\"") + items[i] + "\"";
    return out + "],\"version\":1}";
}

std::string cart(std::initializer_list<std::string> items) {
    std::string out = "{\"user\":\"u1\",\"items\":[";
    bool first = true;
    for (const auto& i : items) out += (first ? "\"" : ",\"") + i + "\"", first = false;
    return out + "],\"version\":1}";
}

// Logs in and answers the adds correctly; returns the items added.
std::vector<std::string> login_and_add(Journey& j) {
    j.on_response(200, "new", cart({}));
    std::vector<std::string> added;
    while (j.current().kind == K::add_item) {
        added.push_back(j.current().item);
        std::string body = "{\"user\":\"u1\",\"items\":[";
        for (std::size_t i = 0; i < added.size(); ++i) body += (i ? ",\"" : "\"") + added[i] + "\"";
        body += "],\"version\":1}";
        Verdict v = j.on_response(200, "hit", body);
        if (v.lost) QTest::qFail("a correct add was counted as lost", __FILE__, __LINE__);
    }
    return added;
}

} // namespace

class TestJourney : public QObject {
    Q_OBJECT
private slots:
    void shopJourneyFollowsTheShopOrder() {
        Journey j(JourneyKind::shop, "u1", 7);
        QCOMPARE(j.current().kind, K::login);
        QCOMPARE(j.current().target, std::string("/login?user=u1"));
        auto items = login_and_add(j);
        QVERIFY(items.size() >= 1 && items.size() <= 5);
        QCOMPARE(j.current().kind, K::view_cart);
        QCOMPARE(j.current().verb, http::verb::get);
    }

    void correctCartIsAHitNotALoss() {
        Journey j(JourneyKind::shop, "u1", 1);
        auto items = login_and_add(j);
        std::string body = "{\"user\":\"u1\",\"items\":[";
        for (std::size_t i = 0; i < items.size(); ++i) body += (i ? ",\"" : "\"") + items[i] + "\"";
        body += "],\"version\":3}";
        Verdict v = j.on_response(200, "hit", body);
        QVERIFY(v.hit);
        QVERIFY(!v.lost);
        QCOMPARE(j.current().kind, K::checkout);
        QVERIFY(!j.current().idempotency_key.empty());
    }

    void differentCartIsALoss() {
        Journey j(JourneyKind::shop, "u1", 1);
        login_and_add(j);
        Verdict v = j.on_response(200, "hit", cart({"somebody-elses-item"}));
        QVERIFY(v.lost);
        QCOMPARE(j.current().kind, K::login); // logs in again and goes on
        QVERIFY(!j.logged_in());
    }

    void missOnAnExistingSessionIsALoss() {
        Journey j(JourneyKind::shop, "u1", 1);
        login_and_add(j);
        Verdict v = j.on_response(401, "miss", "{\"error\":\"session not found\"}");
        QVERIFY(v.lost);
        QVERIFY(v.miss);
        QVERIFY(!v.failed); // a miss is counted as a loss, not as an HTTP failure
        QCOMPARE(j.current().kind, K::login);
    }

    void serverErrorOnAnAddIsRetriedWithTheSameKey() {
        Journey j(JourneyKind::shop, "u1", 3);
        j.on_response(200, "new", cart({}));
        QCOMPARE(j.current().kind, K::add_item);
        const std::string key = j.current().idempotency_key;
        const std::string item = j.current().item;
        Verdict v = j.on_response(502, "", "bad gateway");
        QVERIFY(v.failed);
        QVERIFY(v.retry);
        QCOMPARE(j.current().idempotency_key, key);
        QCOMPARE(j.current().item, item);
        // The retry answers with the add applied once: not a loss.
        QVERIFY(!j.on_response(200, "hit", cart({item})).lost);
    }

    // An add that never got an answer may or may not have been applied: the next cart is right
    // either way, but a cart that is neither is still a loss.
    void unansweredAddMayOrMayNotHaveBeenApplied_data() {
        QTest::addColumn<int>("serverCart");
        QTest::newRow("add was not applied") << 0;
        QTest::newRow("add was applied") << 1;
        QTest::newRow("somebody else's cart") << 2;
    }
    void unansweredAddMayOrMayNotHaveBeenApplied() {
        QFETCH(int, serverCart);
        Journey j(JourneyKind::shop, "u1", 5);
        j.on_response(200, "new", cart({}));
        QCOMPARE(j.current().kind, K::add_item);
        const std::string uncertain = j.current().item;
        QVERIFY(j.on_transport_failure().retry);  // first failure: send again, same key
        QVERIFY(!j.on_transport_failure().retry); // second: give up, remember the doubt
        // The next step is another add or the cart view; both answer with the whole cart.
        std::vector<std::string> items;
        if (serverCart == 1) items.push_back(uncertain);
        if (j.current().kind == K::add_item) items.push_back(j.current().item);
        if (serverCart == 2) items = {"x", "y", "z"};
        const bool lost = j.on_response(200, "hit", cart_of(items)).lost;
        QCOMPARE(lost, serverCart == 2);
    }

    void unansweredCheckoutAcceptsTheEmptyCart() {
        Journey j(JourneyKind::shop, "u1", 11);
        login_and_add(j);
        QCOMPARE(j.current().kind, K::view_cart);
        // View the right cart, then lose the checkout's answer twice.
        auto items = j.expected_items();
        std::string body = "{\"user\":\"u1\",\"items\":[";
        for (std::size_t i = 0; i < items.size(); ++i) body += (i ? ",\"" : "\"") + items[i] + "\"";
        body += "],\"version\":3}";
        j.on_response(200, "hit", body);
        QCOMPARE(j.current().kind, K::checkout);
        j.on_transport_failure();
        j.on_transport_failure();
        QCOMPARE(j.current().kind, K::view_cart);
        QVERIFY(!j.on_response(200, "hit", cart({})).lost); // the order went through
    }

    void browseLogsInOnceThenMostlyViewsTheCart() {
        Journey j(JourneyKind::browse, "u1", 9);
        QCOMPARE(j.current().kind, K::login);
        j.on_response(200, "new", cart({}));
        int views = 0, logins = 0;
        std::vector<std::string> items;
        for (int i = 0; i < 200; ++i) {
            const Step step = j.current();
            if (step.kind == K::login) ++logins;
            if (step.kind == K::view_cart) ++views;
            if (step.kind == K::add_item) items.push_back(step.item);
            std::string body = "{\"user\":\"u1\",\"items\":[";
            for (std::size_t k = 0; k < items.size(); ++k) body += (k ? ",\"" : "\"") + items[k] + "\"";
            body += "],\"version\":1}";
            QVERIFY(!j.on_response(200, "hit", body).lost);
        }
        QCOMPARE(logins, 0);
        QVERIFY(views > 150);
    }
};

QTEST_APPLESS_MAIN(TestJourney)
#include "tst_journey.moc"
