// Why the consistent-hash mode exists: with virtual nodes, load is even and removing one of N
// nodes moves only ~1/N of the keys, where `hash % N` moves almost all of them.
#include "balancer/hash_ring.hpp"

#include <QtTest>

#include <algorithm>
#include <map>

using namespace statelab;

namespace {

constexpr int key_count = 100'000;
constexpr std::size_t node_count = 10;

std::string key(int i) { return "sid-" + std::to_string(i * 7919) + "-user"; }

HashRing ring_of(std::size_t nodes, unsigned vnodes = 160) {
    HashRing ring(vnodes);
    for (std::size_t id = 0; id < nodes; ++id) ring.add(id, "node-" + std::to_string(id + 1));
    return ring;
}

} // namespace

class TestHashRing : public QObject {
    Q_OBJECT
private slots:
    void emptyRingHasNoOwner() {
        HashRing ring;
        QVERIFY(!ring.lookup("anything"));
        QCOMPARE(ring.node_count(), std::size_t{0});
        ring.add(1, "node-1");
        ring.remove(1);
        QVERIFY(!ring.lookup("anything"));
        ring.remove(42); // unknown: nothing happens
        QCOMPARE(ring.node_count(), std::size_t{0});
        QCOMPARE(HashRing(0).vnodes_per_node(), 1u); // a ring needs at least one point per node
    }

    void loadIsEven() {
        const HashRing ring = ring_of(node_count);
        std::map<std::size_t, int> load;
        for (int i = 0; i < key_count; ++i) ++load[*ring.lookup(key(i))];
        QCOMPARE(load.size(), node_count);
        const int max = std::max_element(load.begin(), load.end(), [](auto& a, auto& b) { return a.second < b.second; })->second;
        const double average = double(key_count) / node_count;
        QVERIFY2(max / average <= 1.25, qPrintable(QStringLiteral("max/avg = %1").arg(max / average)));
    }

    void removingOneNodeMovesOnlyItsKeys() {
        HashRing ring = ring_of(node_count);
        std::vector<std::size_t> before(key_count);
        for (int i = 0; i < key_count; ++i) before[i] = *ring.lookup(key(i));
        const std::size_t removed = 3;
        ring.remove(removed);
        QCOMPARE(ring.node_count(), node_count - 1);
        int moved = 0;
        for (int i = 0; i < key_count; ++i) {
            const std::size_t now = *ring.lookup(key(i));
            QVERIFY(now != removed);
            if (now != before[i]) {
                ++moved;
                // Only the removed node's keys move; everyone else's stay put.
                QCOMPARE(before[i], removed);
            }
        }
        QVERIFY2(moved <= key_count * 15 / 100, qPrintable(QStringLiteral("%1 of %2 keys moved").arg(moved).arg(key_count)));
        QVERIFY(moved > 0);

        // Adding it back restores the original owners exactly (points depend only on the name).
        ring.add(removed, "node-4");
        for (int i = 0; i < key_count; i += 97) QCOMPARE(*ring.lookup(key(i)), before[i]);
    }

    void moduloHashingMovesAlmostEverything() {
        // The contrast the lab shows: hash % 10 versus hash % 9 after losing one node.
        int moved = 0;
        for (int i = 0; i < key_count; ++i) {
            const std::uint64_t h = hash64(key(i));
            if (h % node_count != h % (node_count - 1)) ++moved;
        }
        QVERIFY2(moved > key_count * 80 / 100, qPrintable(QStringLiteral("%1 of %2 keys moved").arg(moved).arg(key_count)));
    }

    void lookupSkipsUnusableNodes() {
        const HashRing ring = ring_of(node_count);
        for (int i = 0; i < 1000; ++i) {
            const std::size_t owner = *ring.lookup(key(i));
            const auto next = ring.lookup(key(i), [owner](std::size_t id) { return id != owner; });
            QVERIFY(next && *next != owner);
        }
        // Keys of a skipped node spread over the others instead of piling onto one.
        std::map<std::size_t, int> fallback;
        for (int i = 0; i < 20'000; ++i) {
            const auto id = ring.lookup(key(i), [](std::size_t id) { return id != 0; });
            if (*ring.lookup(key(i)) == 0) ++fallback[*id];
        }
        QVERIFY2(fallback.size() >= 5, qPrintable(QStringLiteral("node-1's keys went to only %1 nodes").arg(fallback.size())));
        QVERIFY(!ring.lookup("k", [](std::size_t) { return false; }));
    }

    void sameKeySameNodeAcrossRings() {
        // Another balancer process (or a restart) must route a session to the same node.
        const HashRing a = ring_of(5);
        HashRing b(160);
        for (std::size_t id : {4, 2, 0, 3, 1}) b.add(id, "node-" + std::to_string(id + 1));
        for (int i = 0; i < 2000; ++i) QCOMPARE(*a.lookup(key(i)), *b.lookup(key(i)));
    }

};

QTEST_APPLESS_MAIN(TestHashRing)
#include "tst_hash_ring.moc"
