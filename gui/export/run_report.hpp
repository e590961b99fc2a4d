#pragma once
// A run as one self-contained HTML file: key figures, per-server table, every chart as inline
// SVG, the events and the scenario that ran. No script, no font, no link: it opens offline,
// from a mail attachment or a USB stick, years later.
#include <QByteArray>

#include <vector>

namespace statelab::gui {

struct RunExport;

// `chartSvgs`: one SVG document per chart of `run`, in order.
QByteArray runReportHtml(const RunExport& run, const std::vector<QByteArray>& chartSvgs);
// The same, rendering the charts' SVGs itself.
QByteArray runReportHtml(const RunExport& run);

} // namespace statelab::gui
