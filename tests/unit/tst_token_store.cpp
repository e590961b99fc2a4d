// The stateless store: the session lives in a signed cookie. A forged or expired cookie is
// "no session" (never a crash, never someone else's cart), and a session too big for a cookie
// is refused with too_large instead of being silently truncated by the browser.
#include "server/token_store.hpp"

#include <QtTest>

#include <atomic>

using namespace statelab;
using namespace std::chrono_literals;

namespace {

// A settable wall clock, shared with the store under test.
struct FakeClock {
    std::atomic<std::int64_t> seconds{1'700'000'000};
    TokenStore::Clock::time_point now() const {
        return TokenStore::Clock::time_point(std::chrono::seconds(seconds.load()));
    }
    void advance(std::chrono::seconds by) { seconds += by.count(); }
};

Session cart(std::string user, std::vector<std::string> items) {
    Session s;
    s.user = std::move(user);
    s.items = std::move(items);
    s.version = s.items.size();
    return s;
}

} // namespace

class TestTokenStore : public QObject {
    Q_OBJECT
    FakeClock m_clock;
    TokenStore make(std::string secret = "shared-secret", std::chrono::seconds ttl = 60s) {
        return TokenStore(std::move(secret), ttl, [this] { return m_clock.now(); });
    }

private slots:
    void roundTripThroughTheCookie() {
        TokenStore store = make();
        SaveResult created = store.create(cart("alice", {"apple"}));
        QCOMPARE(created.status, StoreStatus::ok);
        QVERIFY(!created.cookie.empty());
        LoadResult loaded = store.load(created.cookie);
        QCOMPARE(loaded.status, StoreStatus::ok);
        QCOMPARE(loaded.session.user, std::string("alice"));
        QCOMPARE(loaded.session.items, std::vector<std::string>{"apple"});

        // Every save hands out a new cookie carrying the new state.
        SaveResult saved = store.save(created.cookie, cart("alice", {"apple", "pear"}));
        QCOMPARE(saved.status, StoreStatus::ok);
        QVERIFY(saved.cookie != created.cookie);
        QCOMPARE(store.load(saved.cookie).session.items.size(), std::size_t{2});
        QCOMPARE(store.stats().sessions_active, std::int64_t{-1}); // stateless: cannot count
        QCOMPARE(store.stats().state_bytes, static_cast<std::int64_t>(saved.cookie.size() + 4));
    }

    void anyNodeWithTheSecretReadsIt() {
        TokenStore node1 = make(), node2 = make(), stranger = make("other-secret");
        const std::string cookie = node1.create(cart("bob", {"tea"})).cookie;
        QCOMPARE(node2.load(cookie).status, StoreStatus::ok);
        QCOMPARE(stranger.load(cookie).status, StoreStatus::not_found);
    }

    void tamperedCookieIsNoSession() {
        TokenStore store = make();
        std::string cookie = store.create(cart("carol", {"cheap"})).cookie;
        const auto dot = cookie.find('.') + 1;
        for (std::size_t at : {dot, dot + 7, cookie.size() - 3}) {
            std::string forged = cookie;
            forged[at] = forged[at] == 'A' ? 'B' : 'A';
            QCOMPARE(store.load(forged).status, StoreStatus::not_found);
        }
        QCOMPARE(store.load("").status, StoreStatus::not_found);
        QCOMPARE(store.load("0123456789abcdef0123456789abcdef").status, StoreStatus::not_found);
    }

    void signedButUnreadableIsNoSession() {
        // Signed with our key but not a session (e.g. an older format): refused, not a crash.
        TokenStore store = make();
        const TokenCodec codec("shared-secret");
        QCOMPARE(store.load(codec.sign("not json")).status, StoreStatus::not_found);
        QCOMPARE(store.load(codec.sign(R"({"exp":99999999999})")).status, StoreStatus::not_found);
    }

    void expiresAfterTtl() {
        TokenStore store = make("shared-secret", 60s);
        const std::string cookie = store.create(cart("dave", {})).cookie;
        m_clock.advance(60s);
        QCOMPARE(store.load(cookie).status, StoreStatus::ok); // exactly at the TTL: still valid
        m_clock.advance(1s);
        LoadResult late = store.load(cookie);
        QCOMPARE(late.status, StoreStatus::not_found);
        QCOMPARE(late.detail, std::string("expired"));
    }

    void saveExtendsTheExpiry() {
        TokenStore store = make("shared-secret", 60s);
        std::string cookie = store.create(cart("erin", {})).cookie;
        m_clock.advance(50s);
        cookie = store.save(cookie, cart("erin", {"x"})).cookie;
        m_clock.advance(50s); // 100 s after login, 50 s after the last write
        QCOMPARE(store.load(cookie).status, StoreStatus::ok);
    }

    void oversizeSessionIsTooLarge() {
        TokenStore store = make();
        Session padded = cart("frank", {});
        padded.padding.assign(5000, 'x');
        SaveResult result = store.create(padded);
        QCOMPARE(result.status, StoreStatus::too_large);
        QVERIFY(result.cookie.empty());
        QVERIFY2(result.detail.find("4096") != std::string::npos, result.detail.c_str());

        // Growing a cart item by item: fine until the cookie would pass 4096 bytes, then refused.
        Session growing = cart("frank", {});
        std::size_t last_ok_bytes = 0;
        for (int i = 0; i < 100; ++i) {
            growing.items.push_back(std::string(100, static_cast<char>('a' + i % 26)));
            SaveResult saved = store.save("", growing);
            if (saved.status == StoreStatus::too_large) break;
            QCOMPARE(saved.status, StoreStatus::ok);
            last_ok_bytes = saved.cookie.size() + 4;
        }
        QVERIFY2(last_ok_bytes > 3000 && last_ok_bytes <= TokenStore::max_cookie_bytes,
                 qPrintable(QString::number(last_ok_bytes)));
    }
};

QTEST_APPLESS_MAIN(TestTokenStore)
#include "tst_token_store.moc"
