#pragma once
// Everything that happened, one line each, with the time on the charts' clock: the written
// counterpart of the chart markers (same words, same colours).
#include "model/event.hpp"

#include <QDockWidget>

class QListWidget;

namespace statelab::gui {

class EventLogDock : public QDockWidget {
    Q_OBJECT
public:
    explicit EventLogDock(QWidget* parent = nullptr);

    void addEvent(const Event& event);
    // GUI-side notes without an engine event (a failed action, a launch error).
    void addNote(double t_s, const QString& text, const QColor& color);
    void clear();
    QStringList lines() const;

private:
    QListWidget* m_list;
};

} // namespace statelab::gui
