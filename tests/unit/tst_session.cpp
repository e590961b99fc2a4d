// The session value every store keeps: it must survive its JSON form unchanged (Redis and
// token stores depend on it), and its memory of idempotent replies must stay bounded.
#include "server/session.hpp"

#include <QtTest>

using namespace statelab;

class TestSession : public QObject {
    Q_OBJECT
private slots:
    void jsonRoundTrip() {
        Session s;
        s.user = "al\"ice ü";
        s.items = {"apple", "pear, ripe", ""};
        s.version = 7;
        s.remember_reply("key-1", R"({"order":"x"})");
        s.padding = std::string(300, 'x');
        const Session back = session_from_json(session_to_json(s));
        QCOMPARE(back.user, s.user);
        QCOMPARE(back.items, s.items);
        QCOMPARE(back.version, s.version);
        QCOMPARE(back.replies, s.replies);
        QCOMPARE(back.padding, s.padding);

        const Session empty = session_from_json(session_to_json(Session{}));
        QVERIFY(empty.user.empty() && empty.items.empty() && empty.replies.empty() && empty.padding.empty());
    }

    void malformedJsonThrows() {
        QVERIFY_THROWS_EXCEPTION(std::exception, session_from_json("not json"));
        QVERIFY_THROWS_EXCEPTION(std::exception, session_from_json(R"({"u":"a"})"));
        QVERIFY_THROWS_EXCEPTION(std::exception, session_from_json(R"({"u":1,"i":[],"v":0})"));
    }

    void cartJsonShape() {
        Session s;
        s.user = "bob";
        s.items = {"tea"};
        s.version = 2;
        s.padding = "secret padding";
        s.remember_reply("k", "private");
        const std::string text = cart_json(s);
        // Exactly the contract's fields in the contract's order, and nothing internal.
        QCOMPARE(QString::fromStdString(text), QStringLiteral(R"({"user":"bob","items":["tea"],"version":2})"));
    }

    void rememberedRepliesAreBounded() {
        Session s;
        for (int i = 0; i < 20; ++i) s.remember_reply("key-" + std::to_string(i), "body-" + std::to_string(i));
        QCOMPARE(s.replies.size(), Session::max_remembered_replies);
        QCOMPARE(Session::max_remembered_replies, std::size_t{16});
        for (int i = 0; i < 4; ++i) QVERIFY(!s.remembered_reply("key-" + std::to_string(i))); // oldest forgotten
        for (int i = 4; i < 20; ++i) {
            const std::string* body = s.remembered_reply("key-" + std::to_string(i));
            QVERIFY(body);
            QCOMPARE(*body, "body-" + std::to_string(i));
        }
    }

    void stateBytesCountWhatIsHeld() {
        Session s;
        const std::size_t empty = s.state_bytes();
        s.padding.assign(1000, 'x');
        QVERIFY(s.state_bytes() >= empty + 1000);
        s.items.push_back(std::string(500, 'i'));
        QVERIFY(s.state_bytes() >= empty + 1500);
    }
};

QTEST_APPLESS_MAIN(TestSession)
#include "tst_session.moc"
