#include "main_window.hpp"

#include "charts/failures_chart.hpp"
#include "charts/latency_chart.hpp"
#include "charts/lost_sessions_chart.hpp"
#include "charts/requests_chart.hpp"
#include "charts/session_flow_chart.hpp"
#include "charts/session_state_chart.hpp"
#include "charts/local_cache_chart.hpp"
#include "charts/sessions_chart.hpp"
#include "cluster_panel.hpp"
#include "engine_bridge.hpp"
#include "event_log_dock.hpp"
#include "event_text.hpp"
#include "lessons_dock.hpp"
#include "example_scenarios.hpp"
#include "node_grid.hpp"
#include "summary_card.hpp"
#include "traffic_panel.hpp"
#include "window_size.hpp"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QTabWidget>
#include <QSpinBox>
#include <QStatusBar>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

#include <cstdio>

namespace statelab::gui {

namespace {
EngineConfig engineConfig(const MainWindowOptions& options) {
    EngineConfig config;
    QString binDir = options.binDir;
    if (binDir.isEmpty()) binDir = qEnvironmentVariable("STATELAB_BIN_DIR");
    if (!binDir.isEmpty()) config.bin_dir = binDir.toStdString();
    return config;
}
} // namespace

MainWindow::MainWindow(const MainWindowOptions& options, QWidget* parent)
    : QMainWindow(parent), m_bridge(new EngineBridge(engineConfig(options), this)), m_cluster(new ClusterPanel),
      m_traffic(new TrafficPanel), m_grid(new NodeGrid), m_log(new EventLogDock(this)), m_summary(new SummaryCard),
      m_window(new QComboBox), m_requestsLabel(new QLabel),
      m_lostLabel(new QLabel), m_failuresLabel(new QLabel), m_elapsedLabel(new QLabel), m_run(*m_bridge, m_scenario),
      m_keeper(*m_bridge) {
    // Qt adds the application's name ("— StateLab") itself.
    setWindowTitle(tr("where does a session live?"));
    m_charts = {new RequestsChart, new SessionsChart, new LostSessionsChart,
                new SessionFlowChart, new FailuresChart, new LatencyChart, new SessionStateChart,
                new LocalCacheChart};

    auto* controls = new QWidget;
    auto* controlsLayout = new QVBoxLayout(controls);
    controlsLayout->setContentsMargins(6, 6, 6, 6);
    controlsLayout->addWidget(m_cluster);
    controlsLayout->addWidget(m_traffic);
    controlsLayout->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(controls);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* controlsDock = new QDockWidget(tr("Lab controls"), this);
    controlsDock->setObjectName(QStringLiteral("controlsDock"));
    controlsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    controlsDock->setWidget(scroll);
    controls->setMinimumWidth(300);
    addDockWidget(Qt::LeftDockWidgetArea, controlsDock);
    addDockWidget(Qt::LeftDockWidgetArea, m_log);
    resizeDocks({controlsDock}, {320}, Qt::Horizontal);
    // The controls get what they need; the event log takes the rest of the column.
    resizeDocks({controlsDock, m_log}, {controls->sizeHint().height() + 30, 220}, Qt::Vertical);

    setCentralWidget(buildCentral());
    for (QLabel* label : {m_requestsLabel, m_lostLabel, m_failuresLabel, m_elapsedLabel}) {
        label->setContentsMargins(8, 0, 8, 0);
        statusBar()->addPermanentWidget(label);
    }
    buildMenus();
    buildLessons();
    connectParts();
    setTheme(false);
    refreshStatus();
    resize(openingWindowSize());

}

MainWindow::~MainWindow() { m_bridge->shutdownNow(); }

QWidget* MainWindow::buildCentral() {
    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 8, 8, 4);
    layout->setSpacing(8);
    layout->addWidget(m_presentation.headline());
    layout->addWidget(m_grid);

    m_window->addItem(tr("last minute"), 60.0);
    m_window->addItem(tr("last 5 minutes"), 300.0);
    m_window->addItem(tr("whole run"), 0.0);
    m_window->setObjectName(QStringLiteral("timeWindow"));
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("<b>Live charts</b> — one point every 250 ms; dashed lines mark what you did")), 1);
    bar->addWidget(new QLabel(tr("Time window:")));
    bar->addWidget(m_window);
    layout->addLayout(bar);

    auto* grid = new QGridLayout;
    grid->setSpacing(8);
    for (int i = 0; i < 6; ++i)
        if (i != 1) grid->addWidget(m_charts[i], i / 3, i % 3);
    // Sessions and their bytes share a cell: the same servers, counted two ways. (Not in the
    // grid too: the grid would take the chart back from the tabs when it is installed.)
    auto* sessionTabs = new QTabWidget;
    sessionTabs->setObjectName(QStringLiteral("sessionTabs"));
    sessionTabs->setDocumentMode(true);
    sessionTabs->addTab(m_charts[1], tr("Sessions"));
    sessionTabs->addTab(m_charts[6], tr("State bytes"));
    sessionTabs->addTab(m_charts[7], tr("Local cache"));
    grid->addWidget(sessionTabs, 0, 1);
    // The answer in one glance, beside the evidence: a narrow column for the whole height.
    grid->addWidget(m_summary, 0, 3, 2, 1);
    m_summary->setFixedWidth(250);
    for (int i = 0; i < 3; ++i) grid->setColumnStretch(i, 1);
    for (int i = 0; i < 2; ++i) grid->setRowStretch(i, 1);
    layout->addLayout(grid, 1);
    return central;
}

void MainWindow::buildMenus() {
    QMenu* scenario = menuBar()->addMenu(tr("&Scenario"));
    scenario->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::openScenario);
    scenario->addAction(tr("&Save…"), QKeySequence::Save, this, &MainWindow::saveScenario);
    scenario->addAction(tr("&Run scenario"), QKeySequence(Qt::CTRL | Qt::Key_R), this, &MainWindow::runScenario);
    QMenu* examples = scenario->addMenu(tr("&Examples"));
    for (const QString& path : exampleScenarios()) {
        examples->addAction(QFileInfo(path).completeBaseName(), this, [this, path] {
            QString error;
            if (!loadScenario(path, &error)) showError(tr("Cannot open the scenario"), error);
        });
    }
    examples->setEnabled(!examples->isEmpty());
    scenario->addSeparator();
    scenario->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    buildLabMenu();
    buildExportMenu();
    QMenu* runs = menuBar()->addMenu(tr("&Runs"));
    runs->addAction(tr("&Compare runs…"), QKeySequence(Qt::CTRL | Qt::Key_K), this, &MainWindow::openComparison);
    runs->addAction(tr("Compare with the &previous run"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K), this,
                    &MainWindow::openComparison);
    runs->addAction(tr("&Name this run…"), this, &MainWindow::renameRunDialog);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    auto* group = new QActionGroup(this);
    QAction* light = view->addAction(tr("&Light theme"), this, [this] { setTheme(false); });
    QAction* dark = view->addAction(tr("&Dark theme"), this, [this] { setTheme(true); });
    for (QAction* a : {light, dark}) {
        a->setCheckable(true);
        group->addAction(a);
    }
    light->setChecked(true);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About StateLab"), this, [this] {
        QMessageBox::about(this, tr("About StateLab"),
                           tr("<b>StateLab</b> launches a real cluster on this machine, drives traffic at it and shows "
                              "what happens to user sessions when servers fail.<br><br>Pick a mode, press Launch, "
                              "start traffic, then press Kill on a node."));
    });
}

void MainWindow::connectParts() {
    connect(m_bridge, &EngineBridge::snapshotReady, this, &MainWindow::onSnapshot);
    connect(m_bridge, &EngineBridge::launchProgressed, m_cluster, &ClusterPanel::showProgress);
    connect(m_bridge, &EngineBridge::launched, this, [this] {
        m_launchPending = false;
        m_cluster->setRunning(true);
        m_traffic->setClusterUp(true);
        m_grid->setClusterUp(true);
        statusBar()->showMessage(tr("Cluster up. Start traffic, then break something."), 5000);
        if (const Scenario* scenario = m_scenario.loaded(); scenario && m_scenario.runPending()) {
            m_scenario.setRunPending(false);
            m_traffic->setSettings(scenario->traffic);
            m_bridge->play(*scenario, m_lesson.holds());
        }
    });
    connect(m_bridge, &EngineBridge::launchFailed, this, [this](const QString& message) {
        m_launchPending = false;
        m_scenario.setRunPending(false);
        m_lessons->lessonStopped();
        m_cluster->setRunning(false);
        m_log->addNote(0, tr("launch failed: %1").arg(message), QColor(0xd62728));
        // Also for whoever started us from a script (--autostart): the dialog is not in their terminal.
        std::fprintf(stderr, "statelab: cannot launch the cluster: %s\n", qPrintable(message));
        showError(tr("The cluster did not start"), message);
    });
    connect(m_bridge, &EngineBridge::stopped, this, [this] {
        // A launch asked for after this stop (a lesson that stopped its cluster, then the next
        // lesson at once) owns the window and the run folder now: nothing here is this stop's.
        if (m_launchPending) return;
        keepRun(true); // every process is gone: the figures are final
        m_bridge->discardRunFiles(); // logs went with the kept run; secrets go nowhere
        m_lessons->lessonStopped();  // a lesson cut short (a finished one keeps its result)
        m_cluster->setRunning(false);
        m_traffic->setClusterUp(false);
        m_traffic->setTrafficRunning(false);
        m_grid->setClusterUp(false);
        m_grid->clear();
        statusBar()->showMessage(tr("Cluster stopped; every process is gone."), 5000);
    });
    connect(m_bridge, &EngineBridge::trafficStarted, this, [this] {
        m_run.setTrafficStarted();
        m_traffic->setTrafficRunning(true);
    });
    connect(m_bridge, &EngineBridge::trafficStopped, this, [this] { m_traffic->setTrafficRunning(false); });
    connect(m_bridge, &EngineBridge::actionDone, this, [this](const QString& action, const QString&, const QString& who) {
        statusBar()->showMessage(tr("%1 %2: done").arg(action, who), 4000);
        if (parse_action(action.toStdString()) == Action::kill) emit nodeKilled(who);
    });
    connect(m_bridge, &EngineBridge::actionFailed, this,
            [this](const QString& action, const QString& target, const QString& message) {
                m_log->addNote(m_tally.elapsed_s, tr("%1 %2 failed: %3").arg(action, target, message), QColor(0xd62728));
                showError(tr("%1 %2 failed").arg(action, target), message);
            });

    connect(m_cluster, &ClusterPanel::launchRequested, this, &MainWindow::onLaunchRequested);
    connect(m_cluster, &ClusterPanel::stopRequested, this, [this] {
        m_scenario.setRunPending(false);
        m_cluster->setLaunching(true);
        m_cluster->showProgress(tr("Stopping every process…"));
        m_bridge->stop();
    });
    connect(m_traffic, &TrafficPanel::startRequested, this, &MainWindow::onTrafficStartRequested);
    connect(m_traffic, &TrafficPanel::settingsChanged, this, &MainWindow::onTrafficChanged);
    connect(m_traffic, &TrafficPanel::pauseRequested, m_bridge, &EngineBridge::stopTraffic);
    connect(m_grid, &NodeGrid::actionRequested, this, &MainWindow::onActionRequested);
    connect(m_bridge, &EngineBridge::storyFinished, this, [this] {
        // The engine stopped the traffic; the run is kept once the answers still in flight are
        // counted: the snapshot after the one that said so.
        m_run.storyFinished();
        statusBar()->showMessage(tr("Scenario finished: traffic off; the cluster is still up."), 8000);
    });
    connect(&m_scenario, &ScenarioSlot::approved, this, &MainWindow::runScenario);
    connect(&m_scenario, &ScenarioSlot::refused, this, [this] {
        statusBar()->showMessage(tr("Nothing was run: the scenario's commands were not allowed."), 8000);
    });
    connect(m_window, &QComboBox::currentIndexChanged, this, [this] {
        for (ChartViewBase* chart : m_charts) chart->setWindow(m_window->currentData().toDouble());
    });
}

void MainWindow::onLaunchRequested(const ClusterSettings& settings) {
    keepRun(true); // the run before this one, if it was not stopped first
    if (m_lesson.launch()) m_lessons->lessonStopped(); // another run: the lesson is over
    // A scenario with a target drives somebody else's system: nothing is launched.
    const Scenario* scenario = m_scenario.runPending() ? m_scenario.loaded() : nullptr;
    const bool target = scenario && scenario->target;
    m_grid->setBalancerText(target ? tr("your system at %1").arg(QString::fromStdString(scenario->target->url))
                                   : balancerLabel(settings));
    std::optional<std::map<std::string, std::set<std::string>>> commands;
    if (target) {
        commands.emplace();
        for (const auto& [name, verbs] : scenario->target->actions)
            for (const auto& [verb, command] : verbs) (*commands)[name].insert(action_name(verb));
    }
    m_grid->setCommands(std::move(commands));
    m_grid->clear();
    m_run.begin(settings, m_scenario.runPending());
    resetRunView(settings.mode);
    m_cluster->setLaunching(true);
    m_launchPending = true;
    if (target) m_bridge->attachTarget(*scenario);
    else m_bridge->launch(settings);
}

void MainWindow::resetRunView(Mode mode) {
    m_keeper.nextRun();
    for (ChartViewBase* chart : m_charts) chart->clear();
    m_log->clear();
    m_tally.reset();
    m_summary->reset(mode);
    refreshStatus();
}

void MainWindow::onSnapshot(const Snapshot& snapshot) {
    m_tally.add(snapshot);
    m_grid->update(snapshot);
    // A finished run stays on screen: once its traffic is off, a snapshot with nothing in it
    // does not move the charts' clock (else "last minute" scrolls to empty within a minute).
    // What happens then (Stop, a kill with no traffic) is marked, at its time, outside the window.
    const bool afterTheRun = snapshot.traffic_s > 0 && !snapshot.traffic_running && snapshot.total.requests == 0 &&
                             snapshot.lost_by_event.empty() && snapshot.lost_unexplained == 0;
    for (ChartViewBase* chart : m_charts) {
        if (!afterTheRun) chart->addSnapshot(snapshot);
        else
            for (const Event& event : snapshot.events)
                if (eventIsMarker(event)) chart->addMarker(event.t_s, eventMarkerText(event), eventColor(event));
    }
    for (const Event& event : snapshot.events) {
        m_log->addEvent(event);
        // Harm done to a process; pausing the traffic ("stop traffic") harms no session.
        if (event.kind == EventKind::node_action && interrupts_service(event.action))
            m_summary->noteHarm(QString::fromLatin1(action_name(event.action)) + QLatin1Char(' ') + QString::fromStdString(event.target));
        explainRestart(event);
    }
    m_log->addLosses(snapshot.lost_by_event);
    // The Nodes box says how many app servers run now (Add / Remove change it).
    int backends = 0;
    for (const NodeStatus& p : snapshot.processes) backends += p.kind == ProcessKind::backend && !p.removed;
    if (backends > 0 && m_cluster->nodesBox()->value() != backends) m_cluster->nodesBox()->setValue(backends);
    m_summary->update(m_tally, snapshot);
    refreshStatus();
    if (m_lesson.playing()) m_lessons->showStory(snapshot.story);
    if (m_run.storyMoved(snapshot.story.done))
        m_traffic->setSettings(m_bridge->traffic()); // the sliders show what the timeline did
    if (m_run.sealDue()) {
        keepRun(true);
        finishLesson();
        if (!m_keeper.dir().isEmpty())
            statusBar()->showMessage(tr("Scenario finished and kept as “%1”: Runs ▸ Compare runs… lays it over others.")
                                         .arg(m_run.name()), 8000);
    }
}

// A node that comes back does not get its old users back under cookie stickiness, and takes
// users away from their sessions under ip-hash: the log says so, or the chart looks wrong.
void MainWindow::explainRestart(const Event& event) {
    if (!is_node_action(event, Action::restart) || !QString::fromStdString(event.target).startsWith(QLatin1String("node-"))) return;
    const QString node = QString::fromStdString(event.target);
    const Mode mode = m_run.launched().mode;
    if (mode == Mode::sticky || mode == Mode::replicated)
        m_log->addNote(event.t_s,
                       tr("%1 is back, but every user's cookie still pins them to the server they use now: only users "
                          "who start afresh reach %1").arg(node),
                       QColor(0x7f8790));
    else if (mode == Mode::sticky_ip || mode == Mode::consistent_hash || mode == Mode::hash_mod_n)
        m_log->addNote(event.t_s,
                       tr("%1 is back: the address hash sends its old users to it again, away from the sessions they "
                          "made elsewhere").arg(node),
                       QColor(0x7f8790));
}

void MainWindow::refreshStatus() {
    m_requestsLabel->setText(tr("Requests: <b>%1</b>").arg(formatCount(m_tally.requests)));
    m_lostLabel->setText(tr("Lost sessions: <b>%1</b>").arg(formatCount(m_tally.lost)));
    m_lostLabel->setStyleSheet(m_tally.lost > 0 ? QStringLiteral("color: #d62728;") : QString());
    m_failuresLabel->setText(tr("Failures: <b>%1</b>").arg(formatCount(m_tally.failures)));
    m_elapsedLabel->setText(tr("Elapsed: <b>%1</b>").arg(formatDuration(m_tally.elapsed_s)));
    m_presentation.showFigures(m_tally);
}

QString MainWindow::headlineText() const { return Presentation::headlineText(m_tally); }

QString MainWindow::statusText() const {
    QStringList parts;
    for (QLabel* label : {m_requestsLabel, m_lostLabel, m_failuresLabel, m_elapsedLabel})
        parts << QTextDocumentFragment::fromHtml(label->text()).toPlainText();
    return parts.join(QStringLiteral(" | "));
}

void MainWindow::showError(const QString& title, const QString& message) {
    // Not exec(): a modal loop would stall --exit-after and the tests; the box just stays up.
    auto* box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::setTheme(bool dark) {
    m_theme = dark ? darkTheme() : lightTheme();
    applyTheme(*qApp, m_theme);
    for (ChartViewBase* chart : m_charts) chart->applyTheme(m_theme, m_presentation.on() ? 1.6 : 1.0);
    m_grid->applyTheme(m_theme);
    m_summary->applyTheme(m_theme);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // No process may outlive the window: wait for any launch in flight, then stop everything.
    statusBar()->showMessage(tr("Stopping the cluster…"));
    m_bridge->shutdownNow();
    keepRun(true);
    event->accept();
}

} // namespace statelab::gui
