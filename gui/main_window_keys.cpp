// MainWindow, what a presenter reaches with one key (a clicker sends F5 and the like): the
// Lab menu's Launch / Stop / traffic, and presentation mode (charts and tiles only, larger type).
#include "main_window.hpp"

#include "charts/chart_view_base.hpp"
#include "cluster_panel.hpp"
#include "engine_bridge.hpp"
#include "node_grid.hpp"
#include "summary_card.hpp"
#include "traffic_panel.hpp"

#include <QMenuBar>
#include <QPushButton>
#include <QStatusBar>

namespace statelab::gui {

namespace {
// A menu entry with a key, the key also in the button's tooltip; the action lives on the
// window as well, so the key works with the menu bar hidden.
QAction* addKeyed(QMainWindow* window, QMenu* menu, const QString& text, const QKeySequence& key,
                  QPushButton* button) {
    QAction* action = menu->addAction(text);
    action->setShortcut(key);
    window->addAction(action);
    if (button) {
        QObject::connect(action, &QAction::triggered, button, [button] {
            if (button->isEnabled() && button->isVisibleTo(button->window())) button->click();
        });
        button->setToolTip(QStringLiteral("%1 (%2)").arg(button->toolTip().isEmpty() ? text : button->toolTip(),
                                                        key.toString(QKeySequence::NativeText)));
    }
    return action;
}
} // namespace

void MainWindow::buildLabMenu() {
    QMenu* lab = menuBar()->addMenu(tr("&Lab"));
    QAction* launch = addKeyed(this, lab, tr("&Launch the cluster"), QKeySequence(Qt::Key_F5), m_cluster->launchButton());
    connect(launch, &QAction::triggered, this, [this] {
        // Not a silent key: with a cluster up, say what F5 cannot do and what to press instead.
        if (m_bridge->isLaunched())
            statusBar()->showMessage(tr("The cluster is already up: F6 starts a new run on it; Shift+F5 stops it, then F5 "
                                        "launches a new one."), 8000);
    });
    addKeyed(this, lab, tr("S&top the cluster"), QKeySequence(Qt::SHIFT | Qt::Key_F5), m_cluster->stopButton());
    QAction* traffic = addKeyed(this, lab, tr("Start / &pause the traffic"), QKeySequence(Qt::Key_F6), nullptr);
    connect(traffic, &QAction::triggered, this, [this] {
        QPushButton* button = m_traffic->startButton()->isEnabled() ? m_traffic->startButton() : m_traffic->pauseButton();
        if (button->isEnabled()) button->click();
    });
    for (QPushButton* b : {m_traffic->startButton(), m_traffic->pauseButton()})
        b->setToolTip(tr("%1 (F6)").arg(b->text()));
    lab->addSeparator();
    QAction* present = addKeyed(this, lab, tr("P&resentation mode"), QKeySequence(Qt::Key_F11), nullptr);
    present->setCheckable(true);
    connect(present, &QAction::toggled, this, &MainWindow::setPresentationMode);
}

void MainWindow::setPresentationMode(bool on) {
    if (!m_presentation.set(on, *this)) return;
    // The charts, the card and the tiles in type that grows with the headline's.
    for (ChartViewBase* chart : m_charts) chart->applyTheme(m_theme, on ? 1.6 : 1.0);
    m_summary->setTextScale(on ? 1.5 : 1.0);
    m_summary->setFixedWidth(on ? 360 : 250);
    m_grid->setTextScale(on ? 1.4 : 1.0);
}

} // namespace statelab::gui
