#pragma once
// The answer in one glance: how many sessions were lost and, in a sentence, why. This is what
// a newcomer reads first; the charts are the evidence.
#include "model/scenario.hpp"
#include "run_tally.hpp"
#include "theme.hpp"

#include <QFrame>

#include <utility>
#include <vector>

#include <map>

class QLabel;

namespace statelab::gui {

class SummaryCard : public QFrame {
    Q_OBJECT
public:
    explicit SummaryCard(QWidget* parent = nullptr);

    void update(const RunTally& tally, const Snapshot& latest);
    void noteHarm(const QString& what); // "kill node-2": something that could lose sessions
    void reset(Mode mode);
    void applyTheme(const Theme& theme);
    // Type size relative to the card's own (presentation mode: larger).
    void setTextScale(double scale);
    QString verdictText() const; // the sentence under the number, for tests
    QString numbersText() const; // the line of figures under the count, for tests

private:
    void refreshVerdict();
    QString lossSentence() const;

    // Sessions lost per event of the run (by its index in the run's events), as the engine
    // attributed them.
    struct Cause {
        QString what; // "kill node-2"
        bool store = false;
        bool moved = false;
        bool balancer = false; // the balancer took the node out on its own (balancer_down)
        bool redispatched = false; // ... or sent its requests elsewhere while it was up (balancer_moved)
        QString why;           // ... and its words for it
        std::uint64_t lost = 0;
    };
    std::vector<QString> m_eventDetails; // every event's detail so far, by its index in the run

    std::vector<std::pair<QLabel*, double>> m_baseSizes; // each label's point size at scale 1
    QLabel* m_lost;
    QLabel* m_lostCaption;
    QLabel* m_numbers;
    QLabel* m_verdict;
    Mode m_mode = Mode::sticky;
    QString m_harm;
    std::uint64_t m_lostCount = 0;
    std::uint64_t m_duplicates = 0; // items applied twice, so far
    std::uint64_t m_expired = 0;    // sessions expired after an idle past the TTL, so far
    std::uint64_t m_tooLarge = 0;   // 413 answers, so far
    std::uint64_t m_leaked = 0;     // carts shown to somebody else, so far
    std::uint64_t m_stale = 0;      // stale reads, so far
    double m_headerKbPerRequest = 0;
    std::map<std::size_t, Cause> m_causes;
    std::uint64_t m_unexplained = 0;
    std::uint64_t m_failedWhileStoreDown = 0;
    std::uint64_t m_failures = 0; // the run's failed requests (the tally's)
    double m_storeOutage_s = 0; // the latest store-back event's outage
    QString m_promoted;         // shared-store-ha: the replica the sentinels made primary
    int m_peakUsers = 0;
    bool m_trafficSeen = false;
};

} // namespace statelab::gui
