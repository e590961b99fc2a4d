// The sticky-session store: sessions in this process's memory, dropped after an idle TTL. The
// clock is injected, so expiry is tested exactly and without sleeping.
#include "server/memory_store.hpp"

#include <QtTest>

#include <atomic>

using namespace statelab;
using namespace std::chrono_literals;

namespace {

// A settable monotonic clock; atomic because the store's sweeper thread reads it too.
struct FakeClock {
    std::atomic<std::int64_t> ns{1'000'000'000};
    MemoryStore::Clock::time_point now() const {
        return MemoryStore::Clock::time_point(std::chrono::nanoseconds(ns.load()));
    }
    void advance(std::chrono::nanoseconds by) { ns += by.count(); }
};

Session cart(std::string user, std::vector<std::string> items = {}, std::size_t padding = 0) {
    Session s;
    s.user = std::move(user);
    s.items = std::move(items);
    s.padding.assign(padding, 'x');
    return s;
}

} // namespace

class TestMemoryStore : public QObject {
    Q_OBJECT
    FakeClock m_clock;
    // The sweeper thread is parked (one sweep per hour) so only the test decides when to sweep.
    std::unique_ptr<MemoryStore> make(std::chrono::seconds ttl = 60s) {
        return std::make_unique<MemoryStore>(ttl, [this] { return m_clock.now(); }, std::chrono::hours(1));
    }

private slots:
    void createLoadSaveDestroy() {
        auto store = make();
        SaveResult created = store->create(cart("alice"));
        QCOMPARE(created.status, StoreStatus::ok);
        QCOMPARE(created.cookie.size(), std::size_t{32}); // the new session id
        QCOMPARE(store->load(created.cookie).session.user, std::string("alice"));

        SaveResult saved = store->save(created.cookie, cart("alice", {"apple", "pear"}));
        QCOMPARE(saved.status, StoreStatus::ok);
        QVERIFY(saved.cookie.empty()); // the client's id stays valid
        QCOMPARE(store->load(created.cookie).session.items, (std::vector<std::string>{"apple", "pear"}));

        QCOMPARE(store->destroy(created.cookie), StoreStatus::ok);
        QCOMPARE(store->load(created.cookie).status, StoreStatus::not_found);
        QCOMPARE(store->destroy(created.cookie), StoreStatus::not_found);
        // A write after the session is gone is reported, not silently resurrected.
        QCOMPARE(store->save(created.cookie, cart("alice")).status, StoreStatus::not_found);
        QCOMPARE(store->load(created.cookie).status, StoreStatus::not_found);
    }

    // Two changes read from the same version: the first is saved, the second is refused as a
    // conflict (it would undo the first), and nothing of it is applied.
    void aChangeOfAnOlderVersionIsRefused() {
        auto store = make();
        const std::string sid = store->create(cart("alice")).cookie;
        Session first = store->load(sid).session, second = first;
        first.items = {"apple"}, first.version += 1;
        second.items = {"pear"}, second.version += 1;
        QCOMPARE(store->save_if_unchanged(sid, first).status, StoreStatus::ok);
        QCOMPARE(store->save_if_unchanged(sid, second).status, StoreStatus::conflict);
        QCOMPARE(store->load(sid).session.items, (std::vector<std::string>{"apple"}));
    }

    void sessionsAreSeparate() {
        auto store = make();
        const std::string a = store->create(cart("alice", {"a"})).cookie;
        const std::string b = store->create(cart("bob", {"b"})).cookie;
        QVERIFY(a != b);
        store->save(a, cart("alice", {"a", "a2"}));
        QCOMPARE(store->load(b).session.items, std::vector<std::string>{"b"});
        QCOMPARE(store->load("0123456789abcdef0123456789abcdef").status, StoreStatus::not_found);
        QCOMPARE(store->load("").status, StoreStatus::not_found);
        QCOMPARE(store->stats().sessions_active, std::int64_t{2});
    }

    void idleTtlAndHitsRefresh() {
        auto store = make(60s);
        const std::string sid = store->create(cart("carol")).cookie;
        m_clock.advance(59s);
        QCOMPARE(store->load(sid).status, StoreStatus::ok); // a hit: idle time starts again
        m_clock.advance(59s);
        QCOMPARE(store->load(sid).status, StoreStatus::ok); // 118 s old, but only 59 s idle
        m_clock.advance(61s);
        QCOMPARE(store->load(sid).status, StoreStatus::not_found);
        QCOMPARE(store->stats().sessions_active, std::int64_t{0}); // the expired load dropped it
    }

    void saveRefreshesToo() {
        auto store = make(60s);
        const std::string sid = store->create(cart("dave")).cookie;
        m_clock.advance(50s);
        QCOMPARE(store->save(sid, cart("dave", {"x"})).status, StoreStatus::ok);
        m_clock.advance(50s);
        QCOMPARE(store->load(sid).status, StoreStatus::ok);
    }

    void sweepDropsOnlyIdleSessions() {
        auto store = make(60s);
        const std::string keep = store->create(cart("keep")).cookie;
        store->create(cart("idle-1"));
        store->create(cart("idle-2"));
        QCOMPARE(store->sweep(), std::size_t{0});
        m_clock.advance(40s);
        QVERIFY(store->load(keep).status == StoreStatus::ok);
        m_clock.advance(30s); // idle ones: 70 s; keep: 30 s
        QCOMPARE(store->sweep(), std::size_t{2});
        QCOMPARE(store->stats().sessions_active, std::int64_t{1});
        QCOMPARE(store->load(keep).session.user, std::string("keep"));
        QCOMPARE(store->sweep(), std::size_t{0});
    }

    void stateBytesFollowPaddingAndDestroy() {
        auto store = make();
        QCOMPARE(store->stats().state_bytes, std::int64_t{0});
        const std::string small = store->create(cart("small")).cookie;
        const std::int64_t one_small = store->stats().state_bytes;
        QVERIFY(one_small > 0);
        const std::string big = store->create(cart("big", {}, 100'000)).cookie;
        const std::int64_t with_big = store->stats().state_bytes;
        QVERIFY2(with_big - one_small >= 100'000, qPrintable(QString::number(with_big - one_small)));

        // Growing a cart grows the count; shrinking it shrinks it back.
        store->save(small, cart("small", {std::string(5000, 'i')}));
        QVERIFY(store->stats().state_bytes >= with_big + 5000);
        store->save(small, cart("small"));
        QCOMPARE(store->stats().state_bytes, with_big);

        store->destroy(big);
        QCOMPARE(store->stats().state_bytes, one_small);
        store->destroy(small);
        QCOMPARE(store->stats().state_bytes, std::int64_t{0});
        QCOMPARE(store->stats().sessions_active, std::int64_t{0});
    }

    void expiryReleasesBytes() {
        auto store = make(10s);
        store->create(cart("big", {}, 50'000));
        QVERIFY(store->stats().state_bytes >= 50'000);
        m_clock.advance(11s);
        QCOMPARE(store->sweep(), std::size_t{1});
        QCOMPARE(store->stats().state_bytes, std::int64_t{0});
    }
};

QTEST_APPLESS_MAIN(TestMemoryStore)
#include "tst_memory_store.moc"
