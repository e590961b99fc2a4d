#include "cluster_panel.hpp"

#include "model/cluster_settings.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace statelab::gui {

ClusterPanel::ClusterPanel(QWidget* parent)
    : QGroupBox(tr("Cluster"), parent), m_mode(new QComboBox), m_explanation(new QLabel), m_balancer(new QComboBox),
      m_policy(new QLabel), m_nodes(new QSpinBox),
      m_ttl(new QSpinBox), m_padding(new QSpinBox), m_sidInUrl(new QCheckBox(tr("Session id in the URL too"))),
      m_cacheRoundRobin(new QCheckBox(tr("Round-robin instead of sticky"))),
      m_versionCheck(new QCheckBox(tr("Version check on cached reads"))), m_launch(new QPushButton(tr("Launch"))),
      m_stop(new QPushButton(tr("Stop"))), m_progress(new QProgressBar), m_step(new QLabel) {
    m_mode->setObjectName(QStringLiteral("modeBox"));
    for (Mode mode : all_modes)
        m_mode->addItem(modeLabel(mode), static_cast<int>(mode));
    m_explanation->setWordWrap(true);
    m_explanation->setObjectName(QStringLiteral("modeExplanation"));
    m_explanation->setMinimumHeight(m_explanation->fontMetrics().lineSpacing() * 5); // the longest, wrapped
    m_explanation->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    m_balancer->setObjectName(QStringLiteral("balancerBox"));
    m_balancer->addItem(tr("statelab-balancer (built in)"), QString::fromUtf8(balancer_name(BalancerKind::builtin)));
    m_balancer->addItem(tr("HAProxy"), QString::fromUtf8(balancer_name(BalancerKind::haproxy)));
    m_balancer->setToolTip(tr("Which load balancer runs in front of the app servers: the lab's own, or a real HAProxy "
                              "with a generated configuration"));
    if (QStandardPaths::findExecutable(QStringLiteral("haproxy")).isEmpty()) {
        // Offered, but not choosable: the user learns it exists and what it takes.
        if (auto* items = qobject_cast<QStandardItemModel*>(m_balancer->model())) items->item(1)->setEnabled(false);
        m_balancer->setItemData(1, tr("haproxy is not installed: sudo apt install haproxy"), Qt::ToolTipRole);
    }
    m_policy->setWordWrap(true);

    m_nodes->setRange(1, 32); // what a scenario may ask for
    m_nodes->setValue(3);
    m_nodes->setSuffix(tr(" app servers"));
    m_ttl->setRange(1, 86400);
    m_ttl->setValue(1800);
    m_ttl->setSuffix(tr(" s idle"));
    m_ttl->setToolTip(tr("A session nobody touches for this long expires"));
    m_padding->setRange(0, 1 << 20);
    m_padding->setSingleStep(1024);
    m_padding->setValue(0);
    m_padding->setSuffix(tr(" bytes"));
    m_padding->setToolTip(tr("Extra bytes stored in every session: bloated sessions show up in each server's memory"));
    m_cacheRoundRobin->setObjectName(QStringLiteral("cacheRoundRobinBox"));
    m_cacheRoundRobin->setToolTip(tr("Sticky with a local cache: route round-robin instead, and most reads miss the "
                                     "server's cache and go to Redis."));
    m_versionCheck->setObjectName(QStringLiteral("versionCheckBox"));
    m_versionCheck->setChecked(true);
    m_versionCheck->setToolTip(tr("A cached session is served only once Redis confirms its version (another server "
                                  "may have written it). Untick to see the stale reads it prevents."));
    m_sidInUrl->setObjectName(QStringLiteral("sidInUrlBox"));
    m_sidInUrl->setToolTip(tr("Sticky by URL: the links carry the session id as well as the server (&sid=, the "
                              "jsessionid way). A link one user shares hands the other their cart."));

    m_launch->setObjectName(QStringLiteral("launchButton"));
    m_launch->setDefault(true);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_progress->setRange(0, 0); // busy: the engine reports steps, not percentages
    m_progress->setMaximumHeight(8);
    m_progress->setTextVisible(false);
    m_step->setWordWrap(true);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Mode"), m_mode);
    form->addRow(m_explanation);
    form->addRow(tr("Balancer"), m_balancer);
    form->addRow(tr("Policy"), m_policy);
    form->addRow(tr("Nodes"), m_nodes);
    form->addRow(tr("Session TTL"), m_ttl);
    form->addRow(tr("Padding"), m_padding);
    form->addRow(m_sidInUrl);
    form->addRow(m_cacheRoundRobin);
    form->addRow(m_versionCheck);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_launch);
    buttons->addWidget(m_stop);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(m_step);

    const auto describe = [this] {
        m_explanation->setText(explanation(settings().mode));
        m_policy->setText(QString::fromLatin1(policy_name(policy_for(settings()))));
        m_sidInUrl->setVisible(settings().mode == Mode::sticky_url); // the other modes have no links
        m_cacheRoundRobin->setVisible(settings().mode == Mode::sticky_cached);
        m_versionCheck->setVisible(settings().mode == Mode::sticky_cached);
    };
    connect(m_mode, &QComboBox::currentIndexChanged, this, describe);
    connect(m_cacheRoundRobin, &QCheckBox::toggled, this, describe); // the policy line follows
    describe();
    connect(m_launch, &QPushButton::clicked, this, [this] { emit launchRequested(settings()); });
    connect(m_stop, &QPushButton::clicked, this, &ClusterPanel::stopRequested);
    setRunning(false);
}

QString modeLabel(Mode mode) {
    switch (mode) {
    case Mode::sticky: return ClusterPanel::tr("Sticky sessions (cookie)");
    case Mode::sticky_ip: return ClusterPanel::tr("Sticky by client IP (ip-hash)");
    case Mode::shared_store: return ClusterPanel::tr("Shared store (Redis)");
    case Mode::shared_store_ha: return ClusterPanel::tr("Shared store, highly available (Sentinel)");
    case Mode::client_token: return ClusterPanel::tr("Client token (signed cookie)");
    case Mode::consistent_hash: return ClusterPanel::tr("Consistent hashing (ring)");
    case Mode::hash_mod_n: return ClusterPanel::tr("Naive hashing (hash mod N)");
    case Mode::replicated: return ClusterPanel::tr("Replicated sessions (buddy copy)");
    case Mode::sticky_url: return ClusterPanel::tr("Sticky by URL (server id in links)");
    case Mode::sticky_cached: return ClusterPanel::tr("Sticky + local cache over Redis");
    }
    return QString::fromLatin1(mode_name(mode));
}

QString balancerLabel(const ClusterSettings& settings) {
    const QString kind = settings.balancer == BalancerKind::haproxy ? QStringLiteral("HAProxy") : QStringLiteral("statelab-balancer");
    return QStringLiteral("%1 · %2").arg(kind, QString::fromLatin1(policy_name(policy_for(settings))));
}

QString ClusterPanel::explanation(Mode mode) {
    switch (mode) {
    case Mode::sticky:
        return tr("The balancer pins each user to one server with a cookie; the session lives in that server's "
                  "memory. Kill the server and its users lose their carts.");
    case Mode::sticky_ip:
        return tr("The balancer pins users by their IP address; sessions live in server memory. Users behind one "
                  "IP all land on one server, and a dead server loses its carts.");
    case Mode::shared_store:
        return tr("Any server can answer any user: sessions live in a shared Redis. Kill a server and no cart "
                  "is lost, but Redis itself is now the single point of failure.");
    case Mode::shared_store_ha:
        return tr("Sessions live in a Redis primary with a replica; three Sentinels watch it. Kill the primary: "
                  "after about two seconds of failed writes they promote the replica and the servers follow. "
                  "Writes the replica had not got yet are lost.");
    case Mode::client_token:
        return tr("The session travels in a signed cookie the browser keeps; servers hold nothing. Kill one and "
                  "nothing is lost, but the cookie grows with the cart.");
    case Mode::consistent_hash:
        return tr("Users are placed on a hash ring by their IP; sessions live in server memory. Add or remove a "
                  "server and only about 1/N of the users move (their carts stay behind).");
    case Mode::hash_mod_n:
        return tr("Users are placed by their IP hash modulo the number of servers; sessions live in server memory. "
                  "Add, remove or lose one server and most users move, away from their carts: compare the ring.");
    case Mode::replicated:
        return tr("Sticky by cookie, and every session write is copied to the next server (node-1 to node-2, "
                  "the last to node-1). Kill a server and its users' carts are found in the copies; kill its "
                  "buddy too (node-3's is node-4) and they are lost.");
    case Mode::sticky_url:
        return tr("Servers write their name into every link (?node=node-2); the balancer routes by it. A shared "
                  "link carries others to that server, and with the session id in it, into that user's cart.");
    case Mode::sticky_cached:
        return tr("Redis holds every session, each server a small cache of those it served. Sticky routing makes "
                  "most reads local; a kill loses nothing. Unchecked, a cache shows old carts.");
    }
    return {};
}

ClusterSettings ClusterPanel::settings() const {
    ClusterSettings s;
    s.mode = static_cast<Mode>(m_mode->currentData().toInt());
    s.nodes = m_nodes->value();
    s.balancer = parse_balancer(m_balancer->currentData().toString().toStdString()).value_or(BalancerKind::builtin);
    s.session_ttl_s = m_ttl->value();
    s.session_padding = m_padding->value();
    s.session_in_url = s.mode == Mode::sticky_url && m_sidInUrl->isChecked();
    s.cache_round_robin = s.mode == Mode::sticky_cached && m_cacheRoundRobin->isChecked();
    s.cache_version_check = s.mode != Mode::sticky_cached || m_versionCheck->isChecked();
    return s;
}

void ClusterPanel::setMode(Mode mode) { m_mode->setCurrentIndex(m_mode->findData(static_cast<int>(mode))); }

void ClusterPanel::setSettings(const ClusterSettings& s) {
    setMode(s.mode);
    m_nodes->setValue(s.nodes);
    m_balancer->setCurrentIndex(std::max(0, m_balancer->findData(QString::fromUtf8(balancer_name(s.balancer)))));
    m_ttl->setValue(s.session_ttl_s);
    m_padding->setValue(s.session_padding);
    m_sidInUrl->setChecked(s.session_in_url);
    m_cacheRoundRobin->setChecked(s.cache_round_robin);
    m_versionCheck->setChecked(s.cache_version_check);
}

void ClusterPanel::setInputsEnabled(bool enabled) {
    for (QWidget* w : std::initializer_list<QWidget*>{m_mode, m_balancer, m_nodes, m_ttl, m_padding, m_sidInUrl,
                                                                m_cacheRoundRobin, m_versionCheck})
        w->setEnabled(enabled);
}

void ClusterPanel::setLaunching(bool launching) {
    m_progress->setVisible(launching);
    m_step->setVisible(launching);
    if (launching) m_step->setText(tr("Starting…"));
    m_launch->setEnabled(!launching);
    m_stop->setEnabled(false);
    setInputsEnabled(!launching);
}

void ClusterPanel::setRunning(bool running) {
    m_progress->setVisible(false);
    m_step->setVisible(false);
    m_launch->setEnabled(!running);
    m_stop->setEnabled(running);
    setInputsEnabled(!running);
}

void ClusterPanel::showProgress(const QString& step) { m_step->setText(step); }

} // namespace statelab::gui
