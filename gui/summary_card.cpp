#include "summary_card.hpp"

#include <QLabel>
#include <QVBoxLayout>

namespace statelab::gui {

SummaryCard::SummaryCard(QWidget* parent)
    : QFrame(parent), m_lost(new QLabel(QStringLiteral("0"))), m_lostCaption(new QLabel(tr("sessions lost"))),
      m_numbers(new QLabel), m_verdict(new QLabel) {
    setObjectName(QStringLiteral("summaryCard"));
    QFont big = m_lost->font();
    big.setPointSize(34);
    big.setBold(true);
    m_lost->setFont(big);
    m_lost->setObjectName(QStringLiteral("lostCount"));
    QFont caption = m_lostCaption->font();
    caption.setPointSize(caption.pointSize() + 2);
    m_lostCaption->setFont(caption);
    m_verdict->setWordWrap(true);
    QFont verdict = m_verdict->font();
    verdict.setPointSize(verdict.pointSize() + 1);
    m_verdict->setFont(verdict);
    m_numbers->setWordWrap(true);
    m_lost->setAlignment(Qt::AlignCenter);
    m_lostCaption->setAlignment(Qt::AlignCenter);
    m_numbers->setAlignment(Qt::AlignCenter);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 10, 14, 10);
    layout->addStretch(1);
    layout->addWidget(m_lost);
    layout->addWidget(m_lostCaption);
    layout->addSpacing(6);
    layout->addWidget(m_numbers);
    layout->addSpacing(6);
    layout->addWidget(m_verdict);
    layout->addStretch(1);
    reset(Mode::sticky);
}

void SummaryCard::reset(Mode mode) {
    m_mode = mode;
    m_harm.clear();
    m_lostCount = 0;
    m_trafficSeen = false;
    m_lost->setText(QStringLiteral("0"));
    m_numbers->setText(tr("no traffic yet"));
    refreshVerdict();
}

void SummaryCard::noteHarm(const QString& what) {
    m_harm = what;
    refreshVerdict();
}

void SummaryCard::update(const RunTally& tally, const Snapshot& latest) {
    m_lostCount = tally.lost;
    m_trafficSeen = m_trafficSeen || tally.requests > 0;
    m_lost->setText(formatCount(tally.lost));
    m_lost->setStyleSheet(tally.lost > 0 ? QStringLiteral("color: #d62728;") : QStringLiteral("color: #2e9d4a;"));
    m_numbers->setText(tr("%1 users · %2 req/s · %3 failed requests")
                           .arg(formatCount(latest.users))
                           .arg(formatCount(static_cast<std::uint64_t>(tally.requestsPerSecond)))
                           .arg(formatCount(tally.failures)));
    refreshVerdict();
}

void SummaryCard::refreshVerdict() {
    const bool keepsStateOnServer = m_mode == Mode::sticky || m_mode == Mode::sticky_ip;
    QString text;
    if (!m_trafficSeen)
        text = tr("Launch a cluster and start traffic, then kill a node to see where sessions live.");
    else if (m_lostCount > 0)
        text = tr("After “%1”, users found their carts gone: their sessions lived only in that server's memory.")
                   .arg(m_harm.isEmpty() ? tr("a failure") : m_harm);
    else if (!m_harm.isEmpty())
        text = keepsStateOnServer ? tr("“%1”: watch for lost sessions as its users come back.").arg(m_harm)
                                  : tr("After “%1” no session was lost: the state lives outside the app servers.").arg(m_harm);
    else
        text = keepsStateOnServer ? tr("Each user sticks to one server. Kill a node: what happens to its users' carts?")
                                  : tr("Any server can serve any user. Kill a node: does anyone lose their cart?");
    m_verdict->setText(text);
}

void SummaryCard::applyTheme(const Theme& theme) {
    setStyleSheet(QStringLiteral("#summaryCard { background: %1; border: 1px solid %2; border-radius: 6px; }")
                      .arg(theme.chartBackground.name(), theme.tileBorder.name()));
}

} // namespace statelab::gui
