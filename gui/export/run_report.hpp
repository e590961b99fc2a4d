#pragma once
// A run as one self-contained HTML file: key figures, per-server table, every chart as inline
// SVG, the events and the scenario that ran. No script, no font, no link: it opens offline,
// from a mail attachment or a USB stick, years later.
#include <QByteArray>

namespace statelab::gui {

struct RunExport;

QByteArray runReportHtml(const RunExport& run);

} // namespace statelab::gui
