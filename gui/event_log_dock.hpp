#pragma once
// Everything that happened, one line each, with the time on the charts' clock: the written
// counterpart of the chart markers (same words, same colours).
#include "model/event.hpp"

#include <QDockWidget>

#include <vector>

class QListWidget;
class QListWidgetItem;

namespace statelab::gui {

class EventLogDock : public QDockWidget {
    Q_OBJECT
public:
    explicit EventLogDock(QWidget* parent = nullptr);

    void addEvent(const Event& event);
    void addLosses(const std::vector<EventLoss>& losses);
    // An interval's lost sessions, by the event that lost them: that event's line says how many
    // so far ("kill node-3 (held 93 sessions) · lost 91"; users the balancer moved, as moved).
    // GUI-side notes without an engine event (a failed action, a launch error).
    void addNote(double t_s, const QString& text, const QColor& color);
    void clear();
    QStringList lines() const;

private:
    struct Line {
        QListWidgetItem* item = nullptr;
        QString head; // the event in a few words ("kill node-2")
        QString text; // as first logged (the head and its detail)
        double t_s = 0;
        std::uint64_t lost = 0, moved = 0;
    };
    void setLine(QListWidgetItem* item, double t_s, const QString& text);

    QListWidget* m_list;
    std::vector<Line> m_events; // the engine's events in the order logged: EventLoss::event_index

};

} // namespace statelab::gui
