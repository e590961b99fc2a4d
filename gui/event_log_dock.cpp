#include "event_log_dock.hpp"

#include "event_text.hpp"

#include <QListWidget>

namespace statelab::gui {

EventLogDock::EventLogDock(QWidget* parent) : QDockWidget(tr("Event log"), parent), m_list(new QListWidget) {
    setObjectName(QStringLiteral("eventLogDock"));
    setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    // Whole lines: a presenter wants the number at the end ("lost 28"), not "lost 2…".
    m_list->setUniformItemSizes(false);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setWordWrap(true);
    m_list->setTextElideMode(Qt::ElideNone);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setWidget(m_list);
}

void EventLogDock::addEvent(const Event& event) {
    addNote(event.t_s, eventLogText(event), eventColor(event));
    m_events.push_back({m_list->item(m_list->count() - 1), eventMarkerText(event), eventLogText(event), event.t_s});
}

void EventLogDock::addLosses(const std::vector<EventLoss>& losses) {
    for (const EventLoss& loss : losses) {
        if (loss.event_index >= m_events.size()) continue; // an event of a run this log no longer shows
        Line& line = m_events[loss.event_index];
        line.lost += loss.lost;
        if (loss.moved) line.moved += loss.lost;
        // The figure first, the event's detail after it: the number is what a presenter points at.
        QString text = line.head;
        if (line.moved == line.lost) text += tr(" · moved %1 users away from their carts").arg(line.moved);
        else if (line.moved > 0) text += tr(" · lost %1 (%2 of them moved away)").arg(line.lost).arg(line.moved);
        else text += tr(" · lost %1").arg(line.lost);
        if (line.text.startsWith(line.head)) text += line.text.mid(line.head.size());
        else text += QStringLiteral(" (%1)").arg(line.text);
        setLine(line.item, line.t_s, text);
    }
}

void EventLogDock::setLine(QListWidgetItem* item, double t_s, const QString& text) {
    item->setText(QStringLiteral("%1 s   %2").arg(t_s, 6, 'f', 1).arg(text));
    item->setToolTip(text);
}

void EventLogDock::addNote(double t_s, const QString& text, const QColor& color) {
    auto* item = new QListWidgetItem;
    setLine(item, t_s, text);
    QPixmap dot(10, 10);
    dot.fill(color);
    item->setIcon(QIcon(dot));
    m_list->addItem(item);
    m_list->scrollToBottom();
}

void EventLogDock::clear() {
    m_list->clear();
    m_events.clear();
}

QStringList EventLogDock::lines() const {
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i) out << m_list->item(i)->text();
    return out;
}

} // namespace statelab::gui
