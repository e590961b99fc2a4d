#include "node_tile.hpp"

#include "node_palette.hpp"
#include "run_tally.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace statelab::gui {

QColor stateColor(ProcessState state) {
    switch (state) {
    case ProcessState::up: return QColor(0x2e9d4a);
    case ProcessState::down: return QColor(0xd62728);
    case ProcessState::failed: return QColor(0x9b1c1c);
    case ProcessState::paused: return QColor(0xf0a30a);
    case ProcessState::draining: return QColor(0x2f6fde);
    case ProcessState::stopped: return QColor(0x7f8790);
    case ProcessState::starting: return QColor(0x5aa9e6);
    case ProcessState::quiet: return QColor(0x8a99a8);
    }
    return Qt::gray;
}

namespace {
QString defaultKindText(ProcessKind kind) {
    switch (kind) {
    case ProcessKind::backend: return NodeTile::tr("app server");
    case ProcessKind::balancer: return NodeTile::tr("load balancer");
    case ProcessKind::redis: return NodeTile::tr("session store");
    case ProcessKind::redis_replica: return NodeTile::tr("Redis replica");
    case ProcessKind::sentinel: return NodeTile::tr("Sentinel");
    }
    return {};
}
} // namespace

NodeTile::NodeTile(const QString& name, ProcessKind kind, QWidget* parent)
    : QFrame(parent), m_name(name), m_kind(kind), m_title(new QLabel), m_badge(new QLabel), m_metrics(new QLabel),
      m_kill(new QPushButton(tr("Kill"))), m_stop(new QPushButton(tr("Stop"))), m_pause(new QPushButton(tr("Pause"))),
      m_restart(new QPushButton(tr("Restart"))) {
    setObjectName(QStringLiteral("tile-") + name);
    setFrameShape(QFrame::StyledPanel);

    auto* stripe = new QFrame;
    stripe->setFixedWidth(6);
    stripe->setStyleSheet(QStringLiteral("background: %1; border-radius: 3px;").arg(nodeColor(name).name()));

    setKindText(defaultKindText(kind));
    QFont titleFont = m_title->font();
    titleFont.setPointSize(titleFont.pointSize() + 1);
    m_title->setFont(titleFont);
    m_metrics->setTextFormat(Qt::PlainText);

    m_kill->setToolTip(tr("SIGKILL: the process dies at once, with everything in its memory"));
    m_stop->setToolTip(tr("SIGTERM: a graceful stop (drains first)"));
    m_pause->setToolTip(tr("SIGSTOP: the process hangs (a frozen server); Resume sends SIGCONT"));
    m_restart->setToolTip(tr("Start the process again on the same port"));

    auto* head = new QHBoxLayout;
    // A long title ("balancer · statelab-balancer · cookie" in F11's type) is cut at the tile's
    // edge (whole in its tooltip) rather than pushing the buttons out of the tile.
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setMinimumWidth(10);
    head->addWidget(m_title, 1);
    head->addWidget(m_badge);
    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    for (QPushButton* b : {m_kill, m_stop, m_pause, m_restart}) {
        b->setFocusPolicy(Qt::TabFocus);
        b->setMinimumWidth(10);
        b->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed); // share the width, never force it
        buttons->addWidget(b);
    }
    auto* body = new QVBoxLayout;
    body->setSpacing(4);
    body->addLayout(head);
    body->addWidget(m_metrics);
    body->addLayout(buttons);
    auto* outer = new QHBoxLayout(this);
    outer->setContentsMargins(6, 6, 8, 6);
    outer->addWidget(stripe);
    outer->addLayout(body, 1);

    for (QWidget* part : std::initializer_list<QWidget*>{m_title, m_badge, m_metrics, m_kill, m_stop, m_pause, m_restart})
        m_baseSizes.emplace_back(part, part->font().pointSizeF());
    connect(m_kill, &QPushButton::clicked, this, [this] { emit actionRequested(QStringLiteral("kill"), m_name); });
    connect(m_stop, &QPushButton::clicked, this, [this] { emit actionRequested(QStringLiteral("stop"), m_name); });
    connect(m_restart, &QPushButton::clicked, this, [this] { emit actionRequested(QStringLiteral("restart"), m_name); });
    connect(m_pause, &QPushButton::clicked, this, [this] {
        emit actionRequested(m_state == ProcessState::paused ? QStringLiteral("resume") : QStringLiteral("pause"), m_name);
    });
    update(NodeStatus{name.toStdString(), kind, ProcessState::starting, 0, 0}, nullptr, 0.25);
}

void NodeTile::setKindText(const QString& text) {
    if (text == m_kindText && !m_title->text().isEmpty()) return;
    m_kindText = text;
    m_title->setText(QStringLiteral("<b>%1</b> <span style='font-weight:normal'>· %2</span>")
                         .arg(m_name, text.toHtmlEscaped()));
    m_title->setToolTip(QStringLiteral("%1 · %2").arg(m_name, text));
}

void NodeTile::setTextScale(double scale) {
    for (auto& [part, size] : m_baseSizes) {
        QFont font = part->font();
        font.setPointSizeF(size * scale);
        part->setFont(font);
    }
}

void NodeTile::setCommands(std::set<std::string> verbs) {
    m_commands = std::move(verbs);
    for (QPushButton* b : {m_kill, m_stop, m_pause, m_restart}) b->setToolTip(tr("Runs the scenario's command for it"));
}

QString NodeTile::stateText() const { return QString::fromLatin1(process_state_name(m_state)); }

QPushButton* NodeTile::button(const QString& action) const {
    if (action == QLatin1String("kill")) return m_kill;
    if (action == QLatin1String("stop")) return m_stop;
    if (action == QLatin1String("pause") || action == QLatin1String("resume")) return m_pause;
    if (action == QLatin1String("restart")) return m_restart;
    return nullptr;
}

void NodeTile::update(const NodeStatus& status, const NodeSample* sample, double intervalSeconds) {
    if (status.state != m_state || m_badge->text().isEmpty()) {
        m_state = status.state;
        m_badge->setText(stateText().toUpper());
        m_badge->setStyleSheet(badgeStyle(stateColor(m_state)));
    }
    m_pid = status.pid;
    // A quiet server (a target's, after the traffic stopped) may well be up: its commands stay.
    const bool quiet = m_state == ProcessState::quiet;
    const bool alive = m_state == ProcessState::up || m_state == ProcessState::paused || m_state == ProcessState::draining || quiet;
    m_kill->setEnabled(alive);
    m_stop->setEnabled(m_state == ProcessState::up || m_state == ProcessState::draining || quiet);
    m_pause->setEnabled(m_state == ProcessState::up || m_state == ProcessState::paused || quiet);
    m_pause->setText(m_state == ProcessState::paused ? tr("Resume") : tr("Pause"));
    m_restart->setEnabled(m_state != ProcessState::starting);
    if (m_commands) {
        const std::pair<QPushButton*, std::string> verbs[] = {
            {m_kill, "kill"}, {m_stop, "stop"}, {m_pause, m_state == ProcessState::paused ? "resume" : "pause"},
            {m_restart, "restart"}};
        for (const auto& [button, verb] : verbs) {
            if (m_commands->count(verb)) continue;
            button->setEnabled(false);
            button->setToolTip(tr("No command for “%1” of %2 in the scenario's \"actions\": the lab did not start "
                                  "this server and cannot %1 it itself").arg(QString::fromStdString(verb), m_name));
        }
    }

    QString text;
    if (sample && (m_kind == ProcessKind::redis || m_kind == ProcessKind::redis_replica)) {
        text = sample->sessions_active >= 0 ? tr("%1 sessions: every user's").arg(formatCount(sample->sessions_active))
                                            : tr("port %1 · pid %2").arg(status.port).arg(status.pid);
    } else if (sample) {
        const double perSecond = intervalSeconds > 0 ? sample->requests / intervalSeconds : 0;
        const QString sessions = sample->sessions_active >= 0 ? formatCount(sample->sessions_active) : QStringLiteral("—");
        text = tr("%1 req/s · %2 sessions · %3 RSS").arg(perSecond, 0, 'f', 0).arg(sessions, formatBytes(sample->rss_bytes));
    } else if (m_kind == ProcessKind::balancer && !m_balancerLine.isEmpty()) {
        text = m_balancerLine;
    } else {
        text = status.port ? tr("port %1 · pid %2").arg(status.port).arg(status.pid) : tr("not running");
    }
    if (!alive) text = m_kind == ProcessKind::backend ? tr("not serving") : tr("not running");
    if (m_metrics->text() != text) m_metrics->setText(text);
    // On hover (the line above is full): what the memory figure is, the bytes of session state
    // the node holds, and in replicated mode the copies.
    QString details;
    if (sample && alive && m_kind == ProcessKind::backend)
        details = tr("Resident memory (RSS) of the process: %1\nSession state in its memory: %2")
                      .arg(formatBytes(sample->rss_bytes), formatBytes(sample->state_bytes));
    const auto count = [](std::int64_t n) { return formatCount(static_cast<std::uint64_t>(std::max<std::int64_t>(0, n))); };
    if (sample && alive && sample->copies_sent >= 0)
        details += QLatin1Char('\n') + tr("Copies to its buddy: %1/s (%2 sent, %3 failed since it started)\n"
                         "Copies it holds for another node: %4\nSessions of a dead node it took over: %5")
                          .arg(std::max(0.0, sample->copies_per_s), 0, 'f', 0)
                          .arg(count(sample->copies_sent), count(sample->copies_failed), count(sample->copies_held),
                               count(sample->taken_over));
    if (m_metrics->toolTip() != details) m_metrics->setToolTip(details);
}

void NodeTile::applyTheme(const Theme& theme) {
    setStyleSheet(QStringLiteral("#%1 { background: %2; border: 1px solid %3; border-radius: 6px; }")
                      .arg(objectName(), theme.tileBackground.name(), theme.tileBorder.name()));
    QPalette p = m_metrics->palette();
    p.setColor(QPalette::WindowText, theme.mutedText);
    m_metrics->setPalette(p);
}

} // namespace statelab::gui
