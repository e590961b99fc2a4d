#include "summary_card.hpp"

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

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

    for (QLabel* label : {m_lost, m_lostCaption, m_numbers, m_verdict}) m_baseSizes.emplace_back(label, label->font().pointSizeF());
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
    m_duplicates = 0;
    m_expired = 0;
    m_tooLarge = 0;
    m_leaked = 0;
    m_stale = 0;
    m_headerKbPerRequest = 0;
    m_causes.clear();
    m_eventDetails.clear();
    m_unexplained = 0;
    m_failedWhileStoreDown = 0;
    m_failures = 0;
    m_storeOutage_s = 0;
    m_promoted.clear();
    m_peakUsers = 0;
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
    m_failures = tally.failures;
    m_duplicates = tally.duplicates;
    m_expired = tally.expired;
    m_tooLarge = tally.tooLarge;
    m_leaked = tally.leaked;
    m_stale = tally.stale;
    m_headerKbPerRequest = tally.requests ? static_cast<double>(tally.headerBytes) / 1024.0 / static_cast<double>(tally.requests) : 0;
    m_trafficSeen = m_trafficSeen || tally.requests > 0;
    m_peakUsers = std::max(m_peakUsers, latest.users);
    for (const Event& e : latest.events) m_eventDetails.push_back(QString::fromStdString(e.detail));
    for (const EventLoss& loss : latest.lost_by_event) {
        Cause& cause = m_causes[loss.event_index];
        cause.what = QString::fromLatin1(event_action_name(loss.kind, loss.action)) + QLatin1Char(' ') + QString::fromStdString(loss.target);
        cause.balancer = loss.kind == EventKind::balancer_down;
        if (cause.balancer) {
            cause.what = QString::fromStdString(loss.target);
            if (loss.event_index < m_eventDetails.size()) cause.why = m_eventDetails[loss.event_index];
        }
        if (loss.kind == EventKind::balancer_moved) {
            cause.redispatched = true;
            cause.what = QString::fromStdString(loss.target);
        }
        cause.store = loss.target == "redis";
        cause.moved = cause.moved || loss.moved; // told as a move when the balancer moved any of them
        cause.lost += loss.lost;
    }
    m_unexplained += latest.lost_unexplained;
    for (const NodeStatus& p : latest.processes)
        if (p.name == latest.store_primary && p.state != ProcessState::up) m_failedWhileStoreDown += latest.failures.total();
    for (const Event& e : latest.events) {
        if (e.kind == EventKind::store_back) m_storeOutage_s = e.duration_s;
        if (e.kind == EventKind::failover) m_promoted = QString::fromStdString(e.target);
    }
    m_lost->setText(formatCount(tally.lost));
    m_lost->setStyleSheet(tally.lost > 0 ? QStringLiteral("color: #d62728;") : QStringLiteral("color: #2e9d4a;"));
    // Once the traffic is stopped the card shows what ran, not users caught winding down.
    if (latest.traffic_running || !m_trafficSeen)
        m_numbers->setText(tr("%1 users · %2 req/s · %3 failed requests")
                               .arg(formatCount(latest.users))
                               .arg(formatCount(static_cast<std::uint64_t>(tally.requestsPerSecond)))
                               .arg(formatCount(tally.failures)));
    else // the traffic has stopped: what ran, not "0 users"
        m_numbers->setText(tr("ran %1 requests over %2 · up to %3 users · %4 failed")
                               .arg(formatCount(tally.requests), formatDuration(tally.traffic_s))
                               .arg(formatCount(m_peakUsers))
                               .arg(formatCount(tally.failures)));
    refreshVerdict();
}

void SummaryCard::setTextScale(double scale) {
    for (auto& [label, size] : m_baseSizes) {
        QFont font = label->font();
        font.setPointSizeF(size * scale);
        label->setFont(font);
    }
}

QString SummaryCard::verdictText() const { return m_verdict->text(); }
QString SummaryCard::numbersText() const { return m_numbers->text(); }

// Each loss told by the event that caused it, the biggest first.
QString SummaryCard::lossSentence() const {
    std::vector<Cause> causes;
    for (const auto& [index, cause] : m_causes) causes.push_back(cause);
    std::stable_sort(causes.begin(), causes.end(), [](const Cause& a, const Cause& b) { return a.lost > b.lost; });
    QStringList sentences;
    for (const Cause& c : causes) {
        if (sentences.size() == 2) break;
        const QString n = formatCount(c.lost);
        if (c.balancer)
            sentences << (c.why.isEmpty() ? tr("The balancer took %1 out on its own and moved %2 users to other servers, "
                                               "away from their sessions.").arg(c.what, n)
                                          : tr("The balancer took %1 out on its own (%2) and moved %3 users to other "
                                               "servers, away from their sessions.").arg(c.what, c.why, n));
        else if (c.redispatched)
            sentences << tr("The balancer sent %1 users of %2 to other servers while %2 was up (connecting to it "
                            "failed: redispatch), away from their sessions.").arg(n, c.what);
        else if (c.store)
            sentences << tr("After “%1”, %2 users found their carts gone: the store came back empty.").arg(c.what, n);
        else if (c.moved)
            sentences << tr("After “%1”, the balancer moved %2 users to another server, away from their sessions.")
                             .arg(c.what, n);
        else if (m_mode == Mode::replicated)
            sentences << tr("After “%1”, %2 users found their carts gone: the server and the buddy that held its "
                            "copies were both down.").arg(c.what, n);
        else
            sentences << tr("After “%1”, %2 users found their carts gone: their sessions lived only in that server's memory.")
                             .arg(c.what, n);
    }
    if (m_unexplained > 0)
        sentences << tr("%1 sessions were lost with no failure to explain them.").arg(formatCount(m_unexplained));
    return sentences.join(QLatin1Char(' '));
}

void SummaryCard::refreshVerdict() {
    const bool keepsStateOnServer = sessions_live_in_nodes(m_mode);
    QString text;
    QString outage;
    // The store's share of the failures, told against the run's total (the same figure as the
    // line above), so the card never shows two failure counts that look like one.
    const QString share = m_failedWhileStoreDown == m_failures
                              ? tr("all %1 failed requests").arg(formatCount(m_failures))
                              : tr("%1 of the %2 failed requests").arg(formatCount(m_failedWhileStoreDown), formatCount(m_failures));
    if (m_failedWhileStoreDown > 0 && m_storeOutage_s > 0 && !m_promoted.isEmpty())
        outage = tr("The sentinels promoted %1: writes failed for %2 s until then (%3), every server "
                    "needs the store.").arg(m_promoted).arg(m_storeOutage_s, 0, 'f', 1).arg(share);
    else if (m_failedWhileStoreDown > 0 && m_storeOutage_s > 0)
        outage = tr("Writes failed for %1 s until the store was back (%2): every server needs it.")
                     .arg(m_storeOutage_s, 0, 'f', 1).arg(share);
    else if (m_failedWhileStoreDown > 0)
        outage = tr("While the store was down, %1 failed: every server needs it.").arg(share);
    if (!m_trafficSeen)
        text = tr("Launch a cluster and start traffic, then kill a node to see where sessions live.");
    else if (m_lostCount > 0)
        text = QStringList{lossSentence(), outage}.join(QLatin1Char(' ')).trimmed();
    else if (!outage.isEmpty())
        text = outage + QLatin1Char(' ') + tr("No session was lost so far.");
    else if (!m_harm.isEmpty() && m_mode == Mode::replicated)
        text = tr("After “%1” no session was lost so far: its users' carts were found in the copies on its buddy. "
                  "Now kill a buddy, then the server whose copies it held (node-4, then node-3).").arg(m_harm);
    else if (!m_harm.isEmpty())
        text = keepsStateOnServer ? tr("“%1”: watch for lost sessions as its users come back.").arg(m_harm)
                                  : tr("After “%1” no session was lost: the state lives outside the app servers.").arg(m_harm);
    else if (m_mode == Mode::replicated)
        text = tr("Each user sticks to one server, and every cart is copied to the next server. Kill a node: are "
                  "the copies enough?");
    else
        text = keepsStateOnServer ? tr("Each user sticks to one server. Kill a node: what happens to its users' carts?")
                                  : tr("Any server can serve any user. Kill a node: does anyone lose their cart?");
    if (m_leaked > 0)
        text += QLatin1Char(' ') + tr("%1 times a user opened a link somebody shared and was shown that person's "
                                      "cart: the session id rode in the URL.").arg(formatCount(m_leaked));
    if (m_stale > 0)
        text += QLatin1Char(' ') + (m_mode == Mode::sticky_cached
                                        ? tr("%1 times a server's local cache showed a user an older cart than the one it "
                                             "had seen: the copy was served without asking Redis for its version.")
                                        : tr("%1 times a user was shown an older version of its cart than one it had seen: "
                                             "a copy that was behind."))
                                           .arg(formatCount(m_stale));
    if (m_tooLarge > 0)
        text += QLatin1Char(' ') + tr("%1 requests were refused (413): a session outgrew what it may carry (a cookie "
                                      "holds 4 KB); every request carried %2 KB of headers.")
                                       .arg(formatCount(m_tooLarge))
                                       .arg(m_headerKbPerRequest, 0, 'f', 1);
    if (m_expired > 0)
        text += QLatin1Char(' ') + tr("%1 sessions expired: their users came back after idling longer than the "
                                      "session TTL (counted apart, not lost).").arg(formatCount(m_expired));
    if (m_duplicates > 0)
        text += QLatin1Char(' ') + tr("%1 items were added twice: a retry sent without an Idempotency-Key after the "
                                      "first attempt had been applied, its answer lost.").arg(formatCount(m_duplicates));
    m_verdict->setText(text);
}

void SummaryCard::applyTheme(const Theme& theme) {
    setStyleSheet(QStringLiteral("#summaryCard { background: %1; border: 1px solid %2; border-radius: 6px; }")
                      .arg(theme.chartBackground.name(), theme.tileBorder.name()));
}

} // namespace statelab::gui
