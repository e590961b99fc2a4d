#pragma once
// Whole-run totals for the status bar, summed from the snapshots the window receives (so the
// GUI never asks the engine, and a test can read what the user reads).
#include "model/snapshot.hpp"

#include <QString>

namespace statelab::gui {

struct RunTally {
    std::uint64_t requests = 0;
    std::uint64_t lost = 0;
    std::uint64_t failures = 0;
    std::uint64_t hits = 0;
    std::uint64_t duplicates = 0; // items applied twice
    std::uint64_t expired = 0;    // sessions expired after an idle past the TTL
    std::uint64_t tooLarge = 0;   // 413 answers
    std::uint64_t leaked = 0;     // carts shown to somebody else
    std::uint64_t stale = 0;      // stale reads
    std::uint64_t headerBytes = 0; // HTTP header bytes both ways, answered requests
    double elapsed_s = 0; // the run clock (since launch): where the log's notes go
    double traffic_s = 0; // how long the traffic ran: the run's duration on the card and exports
    double requestsPerSecond = 0; // the latest interval's

    void add(const Snapshot& snapshot);
    void reset() { *this = RunTally{}; }
};

QString formatCount(std::uint64_t value);    // 1234567 -> "1,234,567"
QString formatBytes(std::int64_t bytes);     // "38.2 MB", "—" when unknown
QString formatDuration(double seconds);      // "1:05"

} // namespace statelab::gui
