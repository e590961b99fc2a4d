// Events are typed; their words are a contract (summary.json's "action", the CLI's log): one
// table gives each kind its word and reads it back. The traffic clock goes by the kind.
#include "event_fixtures.hpp"
#include "metrics/traffic_clock.hpp"

#include <QtTest>

#include <string>
#include <utility>
#include <vector>

using namespace statelab;
using statelab::test::ev;

class TestEvents : public QObject {
    Q_OBJECT
private slots:
    // The words summary.json has always had.
    void eachKindHasItsWord() {
        const std::vector<std::pair<EventKind, std::string>> words = {
            {EventKind::launch, "launch"},          {EventKind::attach, "attach"},
            {EventKind::new_run, "new run"},        {EventKind::shutdown, "shutdown"},
            {EventKind::traffic_start, "start"},    {EventKind::traffic_set, "set"},
            {EventKind::traffic_stop, "stop"},      {EventKind::failover, "failover"},
            {EventKind::store_back, "store-back"},  {EventKind::balancer_down, "down"},
            {EventKind::balancer_up, "up"},         {EventKind::balancer_full, "full"},
            {EventKind::balancer_moved, "redispatch"}};
        for (const auto& [kind, word] : words) QCOMPARE(std::string(event_action_name(kind, Action::kill)), word);
        for (Action action : all_actions)
            QCOMPARE(std::string(event_action_name(ev(0, action, "node-1"))), std::string(action_name(action)));
    }

    void wordsReadBack() {
        for (EventKind kind : {EventKind::launch, EventKind::attach, EventKind::new_run, EventKind::shutdown,
                               EventKind::traffic_start, EventKind::traffic_set, EventKind::traffic_stop,
                               EventKind::failover, EventKind::store_back, EventKind::balancer_down,
                               EventKind::balancer_up, EventKind::balancer_full, EventKind::balancer_moved}) {
            const auto read = parse_event(event_action_name(kind, Action::kill), "traffic");
            QVERIFY2(read && read->kind == kind, event_action_name(kind, Action::kill));
        }
        for (Action action : all_actions) {
            const auto read = parse_event(action_name(action), "node-2");
            QVERIFY2(read && is_node_action(*read, action) && read->target == "node-2", action_name(action));
        }
        // A timeline's `set` that failed is written "set cluster": a node action, not a change of traffic.
        QVERIFY(is_node_action(*parse_event("set", "cluster"), Action::set));
        QVERIFY(!parse_event("error", "cluster"));
        QVERIFY(!parse_event("", "node-1"));
    }

    // From each start of the traffic to its stop, summed. Stopping a node, or a part of somebody's
    // system that is called "traffic", is written "stop" as the traffic's own stop is; the
    // traffic goes on.
    void trafficClockGoesByKind() {
        TrafficClock clock;
        clock.note(ev(1, EventKind::traffic_start, "traffic"));
        clock.note(ev(2, Action::stop, "node-2"));
        clock.note(ev(3, Action::stop, "traffic"));
        QVERIFY(clock.running());
        QCOMPARE(clock.seconds(3.5), 2.5);
        clock.note(ev(4, EventKind::traffic_stop, "traffic"));
        QVERIFY(!clock.running());
        clock.note(ev(10, EventKind::traffic_start, "traffic"));
        QCOMPARE(clock.seconds(12), 5.0);
    }
};

QTEST_MAIN(TestEvents)
#include "tst_events.moc"
