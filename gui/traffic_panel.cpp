#include "traffic_panel.hpp"

#include "log_slider.hpp"
#include "model/traffic_fields.hpp"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMap>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

namespace statelab::gui {

namespace {
// A field's help, as the scenario format's table says it (model/traffic_fields).
QString helpOf(std::string_view key) {
    const std::string_view help = traffic_field(key).help;
    return QString::fromUtf8(help.data(), static_cast<qsizetype>(help.size()));
}
int maxOf(std::string_view key) { return static_cast<int>(traffic_field(key).max); }
} // namespace

TrafficPanel::TrafficPanel(QWidget* parent)
    : QGroupBox(tr("Traffic"), parent), m_users(new LogSlider(10000)), m_think(new QSlider(Qt::Horizontal)),
      m_rate(new LogSlider(5000)), m_browse(new QSlider(Qt::Horizontal)), m_addresses(new QSpinBox),
      m_roaming(new QSpinBox), m_roamEvery(new QSpinBox), m_retry(new QComboBox), m_itemBytes(new QSpinBox), m_sharedLinks(new QSpinBox), m_usersLabel(new QLabel),
      m_thinkLabel(new QLabel), m_rateLabel(new QLabel), m_browseLabel(new QLabel), m_hint(new QLabel),
      m_start(new QPushButton(tr("Start traffic"))), m_pause(new QPushButton(tr("Pause traffic"))) {
    m_users->setObjectName(QStringLiteral("usersSlider"));
    m_users->setToolTip(helpOf("users") + tr(" (log scale)"));
    m_think->setRange(0, 2000);
    m_think->setSingleStep(10);
    m_think->setPageStep(100);
    m_think->setToolTip(helpOf("think_ms"));
    m_rate->setToolTip(helpOf("rate"));
    m_browse->setObjectName(QStringLiteral("browseSlider"));
    m_browse->setRange(0, 100);
    m_browse->setToolTip(helpOf("browse_share"));
    m_addresses->setObjectName(QStringLiteral("addressesBox"));
    m_addresses->setRange(0, maxOf("source_addresses")); // 0: the scenario leaves it out
    m_addresses->setSpecialValueText(tr("one per user"));
    m_addresses->setSuffix(tr(" addresses"));
    m_addresses->setToolTip(helpOf("source_addresses"));
    m_roaming->setObjectName(QStringLiteral("roamingBox"));
    m_roaming->setRange(0, 100);
    m_roaming->setSuffix(tr(" % roam"));
    m_roaming->setToolTip(helpOf("address_change_share"));
    m_roamEvery->setRange(1, maxOf("address_change_every_s"));
    m_roamEvery->setToolTip(helpOf("address_change_every_s"));
    m_roamEvery->setPrefix(tr("every "));
    m_roamEvery->setSuffix(tr(" s"));
    m_roamEvery->setValue(10);
    m_retry->setObjectName(QStringLiteral("retryBox"));
    // Item data: the scenario's names (traffic.retry), each with what it does.
    const QMap<QString, QString> retryText{{QStringLiteral("none"), tr("none: give up")},
                                           {QStringLiteral("naive"), tr("naive: send again")},
                                           {QStringLiteral("idempotent"), tr("idempotent: same key")}};
    for (std::string_view choice : traffic_field("retry").choices) {
        const QString name = QString::fromUtf8(choice.data(), static_cast<qsizetype>(choice.size()));
        m_retry->addItem(retryText.value(name, name), name);
    }
    m_retry->setToolTip(helpOf("retry"));
    m_itemBytes->setObjectName(QStringLiteral("itemBytesBox"));
    m_itemBytes->setRange(0, maxOf("item_bytes"));
    m_itemBytes->setSingleStep(16);
    m_itemBytes->setSpecialValueText(tr("short names"));
    m_itemBytes->setSuffix(tr(" bytes/item"));
    m_itemBytes->setToolTip(helpOf("item_bytes"));
    m_sharedLinks->setObjectName(QStringLiteral("sharedLinksBox"));
    m_sharedLinks->setRange(0, 100);
    m_sharedLinks->setSuffix(tr(" % of views"));
    m_sharedLinks->setToolTip(helpOf("shared_link_share"));
    m_hint->setWordWrap(true);
    m_hint->setObjectName(QStringLiteral("hint"));

    auto* grid = new QGridLayout;
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(2);
    int row = 0;
    auto addRow = [&](const QString& name, QLabel* value, QWidget* slider) {
        auto* label = new QLabel(name);
        grid->addWidget(label, row, 0);
        value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        grid->addWidget(value, row++, 1);
        grid->addWidget(slider, row++, 0, 1, 2);
    };
    addRow(tr("Virtual users"), m_usersLabel, m_users);
    addRow(tr("Think time"), m_thinkLabel, m_think);
    addRow(tr("Open-loop rate"), m_rateLabel, m_rate);
    addRow(tr("Journey mix"), m_browseLabel, m_browse);
    grid->addWidget(new QLabel(tr("Client IPs")), row, 0);
    grid->addWidget(m_addresses, row++, 1);
    auto* roaming = new QHBoxLayout;
    roaming->addWidget(m_roaming);
    roaming->addWidget(m_roamEvery);
    grid->addWidget(new QLabel(tr("Roaming")), row, 0);
    grid->addLayout(roaming, row++, 1);
    grid->addWidget(new QLabel(tr("Retries")), row, 0);
    grid->addWidget(m_retry, row++, 1);
    grid->addWidget(new QLabel(tr("Item size")), row, 0);
    grid->addWidget(m_itemBytes, row++, 1);
    grid->addWidget(new QLabel(tr("Shared links")), row, 0);
    grid->addWidget(m_sharedLinks, row++, 1);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_pause);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(m_hint);
    layout->addLayout(buttons);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(100);
    connect(&m_debounce, &QTimer::timeout, this, [this] { emit settingsChanged(settings()); });
    connect(m_users, &LogSlider::mappedValueChanged, this, &TrafficPanel::onSliderMoved);
    connect(m_rate, &LogSlider::mappedValueChanged, this, &TrafficPanel::onSliderMoved);
    connect(m_think, &QSlider::valueChanged, this, &TrafficPanel::onSliderMoved);
    connect(m_browse, &QSlider::valueChanged, this, [this] {
        if (!m_applying) m_declared.reset(); // the user picks a built-in journey instead of the declared one
        onSliderMoved();
    });
    for (QSpinBox* box : {m_addresses, m_roaming, m_roamEvery, m_itemBytes, m_sharedLinks})
        connect(box, &QSpinBox::valueChanged, this, &TrafficPanel::onSliderMoved);
    connect(m_retry, &QComboBox::currentIndexChanged, this, &TrafficPanel::onSliderMoved);
    connect(m_start, &QPushButton::clicked, this, [this] { emit startRequested(settings()); });
    connect(m_pause, &QPushButton::clicked, this, &TrafficPanel::pauseRequested);

    setSettings(TrafficSettings{});
    setClusterUp(false);
}

TrafficSettings TrafficPanel::settings() const {
    TrafficSettings t;
    t.users = m_users->value();
    t.think_ms = m_think->value();
    t.rate = m_rate->value();
    const int browse = m_browse->value();
    t.journey = browse == 0 ? "shop" : browse == 100 ? "browse" : "mix";
    t.browse_share = browse / 100.0;
    if (m_declared) t.declared = m_declared, t.journey = "declared"; // until the journey slider moves
    t.source_addresses = m_addresses->value();
    t.address_change_share = m_roaming->value() / 100.0;
    t.address_change_every_s = m_roamEvery->value();
    t.retry = m_retry->currentData().toString().toStdString();
    t.item_bytes = m_itemBytes->value();
    t.shared_link_share = m_sharedLinks->value() / 100.0;
    t.idle_close_ms = m_idleCloseMs;
    return t;
}

QStringList TrafficPanel::beyondSliders(const TrafficSettings& t) const {
    QStringList notes;
    const QLocale english(QLocale::English);
    auto check = [&](const QString& what, double value, double maximum) {
        if (value > maximum)
            notes << tr("%1 %2 is beyond the slider's %3: the scenario runs with %2; moving the slider changes it.")
                         .arg(what, english.toString(value, 'f', 0), english.toString(maximum, 'f', 0));
    };
    check(tr("Users:"), t.users, m_users->maximumValue());
    check(tr("Think time (ms):"), t.think_ms, m_think->maximum());
    check(tr("Rate (journeys/s):"), t.rate, m_rate->maximumValue());
    if (t.declared)
        notes << tr("The scenario declares its own journey (%n step(s)): the users walk it; moving the journey slider "
                    "switches them to the built-in shop or browse journey.", nullptr, static_cast<int>(t.declared->steps.size()));
    return notes;
}

void TrafficPanel::setSettings(const TrafficSettings& t) {
    m_applying = true;
    m_users->setValue(t.users);
    m_think->setValue(t.think_ms);
    m_rate->setValue(static_cast<int>(t.rate));
    m_browse->setValue(t.journey == "shop" || t.declared ? 0 : t.journey == "browse" ? 100 : static_cast<int>(t.browse_share * 100 + 0.5));
    m_declared = t.declared;
    m_addresses->setValue(t.source_addresses);
    m_roaming->setValue(static_cast<int>(t.address_change_share * 100 + 0.5));
    m_roamEvery->setValue(std::max(1, static_cast<int>(t.address_change_every_s + 0.5)));
    m_retry->setCurrentIndex(std::max(0, m_retry->findData(QString::fromStdString(t.retry))));
    m_itemBytes->setValue(t.item_bytes);
    m_sharedLinks->setValue(static_cast<int>(t.shared_link_share * 100 + 0.5));
    m_idleCloseMs = t.idle_close_ms;
    m_applying = false;
    refreshLabels();
}

void TrafficPanel::onSliderMoved() {
    refreshLabels();
    if (!m_applying && m_running) m_debounce.start(); // restarts: one change per pause in a drag
}

void TrafficPanel::refreshLabels() {
    const TrafficSettings t = settings();
    m_usersLabel->setText(tr("<b>%1</b> users").arg(QLocale(QLocale::English).toString(t.users)));
    m_thinkLabel->setText(tr("<b>%1</b> ms").arg(t.think_ms));
    m_rateLabel->setText(t.open_loop() ? tr("<b>%1</b> journeys/s").arg(t.rate, 0, 'f', 0) : tr("<b>closed loop</b>"));
    const int browse = m_browse->value();
    if (t.declared)
        m_browseLabel->setText(tr("<b>the scenario's own</b> (%n step(s))", nullptr, static_cast<int>(t.declared->steps.size())));
    else
        m_browseLabel->setText(tr("<b>%1%</b> shop · <b>%2%</b> browse").arg(100 - browse).arg(browse));
    m_think->setEnabled(!t.open_loop());
    m_hint->setText(t.open_loop()
                        ? tr("Open loop: journeys start on a fixed schedule; slow servers pile up latency.")
                        : tr("Closed loop: each user waits for an answer, thinks, then sends the next request."));
}

void TrafficPanel::setClusterUp(bool up) {
    m_clusterUp = up;
    setTrafficRunning(up && m_running);
}

void TrafficPanel::setTrafficRunning(bool running) {
    m_running = running;
    m_start->setEnabled(m_clusterUp && !running);
    m_pause->setEnabled(m_clusterUp && running);
}

} // namespace statelab::gui
