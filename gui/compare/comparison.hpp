#pragma once
// Runs laid over each other: one chart per metric, one line per run, every run's events as
// markers, all on the clock of each run's traffic start. "Sticky vs shared store, same kill."
#include "compare/run_record.hpp"
#include "export/run_export.hpp"

#include <vector>

namespace statelab::gui {

// Header, one panel per metric and a key-figures line per run; no summary (no single report).
RunExport comparisonExport(const std::vector<RunRecord>& runs);

} // namespace statelab::gui
