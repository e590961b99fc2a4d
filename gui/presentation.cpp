#include "presentation.hpp"

#include "run_tally.hpp"

#include <QDockWidget>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QStatusBar>

namespace statelab::gui {

Presentation::Presentation() : m_headline(new QLabel) {
    m_headline->setObjectName(QStringLiteral("headline"));
    m_headline->setAlignment(Qt::AlignCenter);
    QFont font = m_headline->font();
    font.setPointSize(40);
    font.setBold(true);
    m_headline->setFont(font);
    m_headline->setVisible(false);
}

QString Presentation::headlineText(const RunTally& tally) {
    if (tally.requests == 0) return tr("no traffic yet");
    const QString lost = tally.lost == 1 ? tr("1 session lost") : tr("%1 sessions lost").arg(formatCount(tally.lost));
    return tr("%1 · %2 requests").arg(lost, formatCount(tally.requests));
}

void Presentation::showFigures(const RunTally& tally) {
    m_headline->setText(headlineText(tally));
    m_headline->setStyleSheet(tally.lost > 0 ? QStringLiteral("color: #d62728;") : QStringLiteral("color: #2e9d4a;"));
}

bool Presentation::set(bool on, QMainWindow& window) {
    if (on == m_on) return false;
    m_on = on;
    if (on) m_stateBefore = window.saveState();
    for (QDockWidget* dock : window.findChildren<QDockWidget*>()) dock->setVisible(!on);
    window.menuBar()->setVisible(!on);
    window.statusBar()->setVisible(!on);
    m_headline->setVisible(on);
    if (on) {
        window.showFullScreen();
    } else {
        window.showNormal();
        window.restoreState(m_stateBefore);
    }
    return true;
}

} // namespace statelab::gui
