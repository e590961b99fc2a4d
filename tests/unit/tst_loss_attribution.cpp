// Which event lost a session: the event that took the holder's memory, else the latest change
// of membership (a re-hash), else none. The summary card and summary.json say "lost N" from it.
#include "event_fixtures.hpp"
#include "metrics/loss_attribution.hpp"

#include <QtTest>

using namespace statelab;
using statelab::test::ev;

class TestLossAttribution : public QObject {
    Q_OBJECT
private slots:
    void stickyKillGetsItsNodesLosses() {
        LossAttribution a(true);
        a.note(ev(0, EventKind::launch, "cluster"));
        a.note(ev(8, Action::kill, "node-2"));
        a.note(ev(9, Action::remove, "node-4")); // later, but node-4 never held these sessions
        QCOMPARE(a.cause(2), std::optional<std::size_t>(1));
        std::uint64_t unexplained = 0;
        const auto losses = a.attribute({0, 0, 85}, &unexplained);
        QCOMPARE(losses.size(), std::size_t(1));
        QCOMPARE(losses[0].event_index, std::size_t(1));
        QCOMPARE(losses[0].target, std::string("node-2"));
        QCOMPARE(losses[0].lost, std::uint64_t(85));
        QVERIFY(!losses[0].moved);
        QCOMPARE(unexplained, std::uint64_t(0));
    }

    void restartAfterKillLeavesTheLossWithTheKill() {
        LossAttribution a(true);
        a.note(ev(8, Action::kill, "node-2"));
        a.note(ev(14, Action::restart, "node-2"));
        QCOMPARE(a.cause(2), std::optional<std::size_t>(0));
    }

    void restartOfARunningNodeLosesItsSessions() {
        LossAttribution a(true);
        a.note(ev(3, Action::kill, "node-1"));
        a.note(ev(8, Action::restart, "node-2"));
        QCOMPARE(a.cause(2), std::optional<std::size_t>(1));
    }

    // sticky-ip: node-2 restarted, the hash sends some of node-1's users back to node-2.
    void untouchedHolderMeansARehash() {
        LossAttribution a(true);
        a.note(ev(8, Action::kill, "node-2"));
        a.note(ev(14, Action::restart, "node-2"));
        a.note(ev(15, EventKind::traffic_set, "traffic"));
        QCOMPARE(a.cause(1), std::optional<std::size_t>(1));
        const auto losses = a.attribute({0, 12}, nullptr);
        QCOMPARE(losses.size(), std::size_t(1));
        QVERIFY(losses[0].moved);
        QVERIFY(losses[0].kind == EventKind::node_action && losses[0].action == Action::restart);
    }

    void sharedStoreLossesBelongToTheStore() {
        LossAttribution a(false);
        a.note(ev(5, Action::kill, "redis"));
        a.note(ev(8, Action::restart, "redis"));
        a.note(ev(9, Action::kill, "node-1"));
        QCOMPARE(a.cause(0), std::optional<std::size_t>(1)); // it came back empty
        QCOMPARE(a.cause(1), std::optional<std::size_t>(1));
    }

    void nothingExplainsAnIdleExpiry() {
        LossAttribution a(true);
        a.note(ev(0, EventKind::launch, "cluster"));
        a.note(ev(1, EventKind::traffic_start, "traffic"));
        std::uint64_t unexplained = 0;
        QVERIFY(a.attribute({4, 3}, &unexplained).empty());
        QCOMPARE(unexplained, std::uint64_t(7));
    }

    // HAProxy's check timed out on a busy node-2: it took node-2 out and its users, moved to
    // node-1 and node-3, found no cart there. Nothing the run did explains that: the flap does.
    void aBalancerFlapLosesTheUsersItMoved() {
        LossAttribution a(true);
        a.note(ev(0, EventKind::launch, "cluster"));
        a.note(ev(2, Action::kill, "node-3")); // earlier and elsewhere
        a.note(ev(5, EventKind::balancer_down, "node-2"));
        a.note(ev(5.5, EventKind::balancer_up, "node-2"));
        QCOMPARE(a.cause(2), std::optional<std::size_t>(2));
        const auto losses = a.attribute({0, 0, 40}, nullptr);
        QCOMPARE(losses.size(), std::size_t(1));
        QVERIFY(losses[0].kind == EventKind::balancer_down);
        QVERIFY(losses[0].moved); // the node kept its memory: the balancer moved its users
    }

    // The balancer noticing a kill is not a cause of its own: the kill keeps the node's losses
    // and a re-hash after it (users of other nodes moved) stays the kill's too.
    void aKillTheBalancerNoticedKeepsItsLosses() {
        LossAttribution a(true);
        a.note(ev(8, Action::kill, "node-2"));
        a.note(ev(8.4, EventKind::balancer_down, "node-2"));
        QCOMPARE(a.cause(2), std::optional<std::size_t>(0));
        QCOMPARE(a.cause(1), std::optional<std::size_t>(0));
        a.note(ev(14, Action::restart, "node-2"));
        a.note(ev(14.6, EventKind::balancer_up, "node-2"));
        QCOMPARE(a.cause(1), std::optional<std::size_t>(2)); // the restart's re-hash
        QCOMPARE(a.cause(2), std::optional<std::size_t>(0));
        // ... and later the balancer takes the restarted node out on its own.
        a.note(ev(30, EventKind::balancer_down, "node-2"));
        QCOMPARE(a.cause(2), std::optional<std::size_t>(4));
        QCOMPARE(a.cause(1), std::optional<std::size_t>(4));
    }

    // A pause does not take the node's memory: the users lose their sessions because the
    // balancer took node-2 out, so the loss is that transition's.
    void aPausedNodeTakenOutLosesToTheTransition() {
        LossAttribution a(true);
        a.note(ev(3, Action::pause, "node-2"));
        a.note(ev(5, EventKind::balancer_down, "node-2"));
        QCOMPARE(a.cause(2), std::optional<std::size_t>(1));
        a.note(ev(7, Action::resume, "node-2"));
        a.note(ev(7.5, EventKind::balancer_up, "node-2"));
        QCOMPARE(a.cause(2), std::optional<std::size_t>(1));
        QCOMPARE(a.cause(1), std::optional<std::size_t>(3)); // taken back on its own: a re-hash
    }

    // HAProxy sent node-2's users elsewhere while node-2 stayed up (its connect timed out on a
    // busy machine; option redispatch): they lost their carts, and no DOWN says why. The
    // redispatch does (it once read "lost with no failure to explain them").
    void aRedispatchLosesTheUsersItSentAway() {
        LossAttribution a(true);
        a.note(ev(0, EventKind::launch, "cluster"));
        a.note(ev(4, EventKind::balancer_moved, "node-2"));
        QCOMPARE(a.cause(2), std::optional<std::size_t>(1));
        const auto losses = a.attribute({0, 0, 31}, nullptr);
        QCOMPARE(losses.size(), std::size_t(1));
        QVERIFY(losses[0].kind == EventKind::balancer_moved);
        QVERIFY(losses[0].moved);
        QCOMPARE(a.cause(1), std::optional<std::size_t>()); // node-1's users were not moved
    }

    // A killed node's requests are redispatched until the checks take it out: the kill lost them.
    void aRedispatchAfterAKillIsTheKills() {
        LossAttribution a(true);
        a.note(ev(8, Action::kill, "node-2"));
        a.note(ev(8.2, EventKind::balancer_moved, "node-2"));
        a.note(ev(8.9, EventKind::balancer_down, "node-2"));
        QCOMPARE(a.cause(2), std::optional<std::size_t>(0));
        // As HAProxy was read once: the redispatches counted after its DOWN.
        LossAttribution b(true);
        b.note(ev(8.0, Action::kill, "node-2"));
        b.note(ev(8.5, EventKind::balancer_down, "node-2"));
        b.note(ev(8.8, EventKind::balancer_moved, "node-2"));
        QCOMPARE(b.cause(2), std::optional<std::size_t>(0));
        // ... and long after a restart, a redispatch of its own (a busy machine) is its own.
        b.note(ev(14, Action::restart, "node-2"));
        b.note(ev(14.5, EventKind::balancer_up, "node-2"));
        b.note(ev(40, EventKind::balancer_moved, "node-2"));
        QCOMPARE(b.cause(2), std::optional<std::size_t>(5));
    }
};

QTEST_GUILESS_MAIN(TestLossAttribution)
#include "tst_loss_attribution.moc"
