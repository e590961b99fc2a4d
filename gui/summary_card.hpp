#pragma once
// The answer in one glance: how many sessions were lost and, in a sentence, why. This is what
// a newcomer reads first; the charts are the evidence.
#include "model/scenario.hpp"
#include "run_tally.hpp"
#include "theme.hpp"

#include <QFrame>

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

private:
    void refreshVerdict();

    QLabel* m_lost;
    QLabel* m_lostCaption;
    QLabel* m_numbers;
    QLabel* m_verdict;
    Mode m_mode = Mode::sticky;
    QString m_harm;
    std::uint64_t m_lostCount = 0;
    bool m_trafficSeen = false;
};

} // namespace statelab::gui
