#pragma once
// How an engine Event reads to a person, in one place so the event log and the chart markers
// say exactly the same thing ("kill node-2", "users 300 → 600").
#include "model/event.hpp"

#include <QColor>
#include <QString>

namespace statelab::gui {

// Launch is the origin of the time axis, so a marker there would only cover the axis.
bool eventIsMarker(const Event& event);
QString eventMarkerText(const Event& event);  // short: "kill node-2"
QString eventLogText(const Event& event);     // full: "kill node-2 (held 97 sessions)"
QColor eventColor(const Event& event);         // red for harm, green for recovery, blue for load

} // namespace statelab::gui
