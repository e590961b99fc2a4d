#include "event_log_dock.hpp"

#include "event_text.hpp"

#include <QListWidget>

namespace statelab::gui {

EventLogDock::EventLogDock(QWidget* parent) : QDockWidget(tr("Event log"), parent), m_list(new QListWidget) {
    setObjectName(QStringLiteral("eventLogDock"));
    setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setWordWrap(false);
    setWidget(m_list);
}

void EventLogDock::addEvent(const Event& event) { addNote(event.t_s, eventLogText(event), eventColor(event)); }

void EventLogDock::addNote(double t_s, const QString& text, const QColor& color) {
    auto* item = new QListWidgetItem(QStringLiteral("%1 s   %2").arg(t_s, 6, 'f', 1).arg(text));
    QPixmap dot(10, 10);
    dot.fill(color);
    item->setIcon(QIcon(dot));
    item->setToolTip(text);
    m_list->addItem(item);
    m_list->scrollToBottom();
}

void EventLogDock::clear() { m_list->clear(); }

QStringList EventLogDock::lines() const {
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i) out << m_list->item(i)->text();
    return out;
}

} // namespace statelab::gui
