#pragma once
// One colour per process name, the same in every chart and on every tile, so "the orange line"
// always means node-2. Keyed by name, not by position: a removed node never shifts the others.
#include <QColor>
#include <QString>

namespace statelab::gui {

QColor nodeColor(const QString& name);

// Colours of the non-node series, chosen to read as good (hits), warning (misses), bad (lost).
namespace SeriesColors {
QColor hits();
QColor misses();
QColor lost();
QColor moved();
QColor duplicates();
QColor expired();
QColor leaked();
QColor stale();
QColor failure(int kind); // 0 connect, 1 reset, 2 timeout, 3 http_4xx, 4 http_5xx, 5 too_large (413)
QColor latency(int quantile); // 0 p50, 1 p95, 2 p99
QColor run(int index);         // compared runs: first blue, second orange, ...
QColor sharedEvent();          // compared runs: an event several of them had (grey)
} // namespace SeriesColors

} // namespace statelab::gui
