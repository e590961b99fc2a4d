// The card's sentence for each cause of loss the engine credits, as a presenter reads it.
#include "summary_card.hpp"

#include <QApplication>
#include <QtTest>

using namespace statelab;
using namespace statelab::gui;

namespace {

// One interval in which `lost` sessions were lost to the run's event `index` (of `kind`).
Snapshot losing(std::vector<Event> events, std::size_t index, EventKind kind, const std::string& target, std::uint64_t lost) {
    Snapshot s;
    s.events = std::move(events);
    s.lost_by_event.push_back({index, kind, Action::kill, target, lost, true, 2});
    return s;
}

} // namespace

class TestSummaryCard : public QObject {
    Q_OBJECT
private slots:
    // HAProxy sent node-2's users elsewhere while node-2 was up (no DOWN): the card names that,
    // not "after 'redispatch node-2'" or a loss nothing explains.
    void aRedispatchIsToldAsTheBalancers() {
        SummaryCard card;
        card.reset(Mode::sticky);
        Event redispatch;
        redispatch.kind = EventKind::balancer_moved;
        redispatch.target = "node-2";
        redispatch.detail = "haproxy sent 40 requests for node-2 to other nodes: connecting to node-2 failed (option redispatch)";
        RunTally tally;
        tally.requests = 1000;
        tally.lost = 31;
        card.update(tally, losing({redispatch}, 0, EventKind::balancer_moved, "node-2", 31));
        const QString verdict = card.verdictText();
        QVERIFY2(verdict.contains(QStringLiteral("sent 31 users of node-2 to other servers while node-2 was up")),
                 qPrintable(verdict));
        QVERIFY2(!verdict.contains(QStringLiteral("no failure to explain")), qPrintable(verdict));
    }
};

QTEST_MAIN(TestSummaryCard)
#include "tst_summary_card.moc"
