#include "run_tally.hpp"

#include <QLocale>

namespace statelab::gui {

void RunTally::add(const Snapshot& snapshot) {
    requests += snapshot.total.requests;
    lost += snapshot.total.lost;
    failures += snapshot.failures.total();
    hits += snapshot.total.hits;
    duplicates += snapshot.total.duplicates;
    expired += snapshot.total.expired;
    tooLarge += snapshot.failures.too_large;
    leaked += snapshot.total.leaked;
    stale += snapshot.total.stale;
    headerBytes += snapshot.total.header_bytes;
    elapsed_s = snapshot.t_s;
    traffic_s = snapshot.traffic_s;
    requestsPerSecond = snapshot.interval_s > 0 ? snapshot.total.requests / snapshot.interval_s : 0;
}

QString formatCount(std::uint64_t value) {
    return QLocale(QLocale::English).toString(static_cast<qulonglong>(value));
}

QString formatBytes(std::int64_t bytes) {
    if (bytes < 0) return QStringLiteral("—");
    if (bytes < 1024 * 1024) return QStringLiteral("%1 KB").arg(bytes / 1024.0, 0, 'f', 0);
    return QStringLiteral("%1 MB").arg(bytes / (1024.0 * 1024.0), 0, 'f', 1);
}

QString formatDuration(double seconds) {
    const auto total = static_cast<long long>(seconds);
    return QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

} // namespace statelab::gui
