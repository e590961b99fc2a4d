#include "node_palette.hpp"

#include <QHash>

#include <array>

namespace statelab::gui {

namespace {
// Tableau-like qualitative colours: distinct on light and dark backgrounds, and the first few
// stay tell-apart-able for the common colour-vision deficiencies.
constexpr std::array<QRgb, 16> kNodeColors = {
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x17becf,
    0xbcbd22, 0x7f7f7f, 0x393b79, 0xe7969c, 0x637939, 0xad494a, 0x3182bd, 0xfd8d3c,
};
} // namespace

QColor nodeColor(const QString& name) {
    if (name == QLatin1String("balancer")) return QColor(0x607d8b);
    if (name.startsWith(QLatin1String("redis"))) return QColor(0xc62828);
    if (name.startsWith(QLatin1String("node-"))) {
        bool ok = false;
        const int n = name.mid(5).toInt(&ok);
        if (ok && n > 0) return QColor(kNodeColors[(n - 1) % kNodeColors.size()]);
    }
    // Somebody else's names (web-a, a pod's name): the n-th name seen gets the n-th colour, so
    // three servers never share one as a hash could make them. The GUI thread's alone.
    static QHash<QString, int> others;
    const auto it = others.constFind(name);
    const int n = it != others.constEnd() ? *it : *others.insert(name, static_cast<int>(others.size()));
    return QColor(kNodeColors[static_cast<std::size_t>(n) % kNodeColors.size()]);
}

namespace SeriesColors {
QColor hits() { return QColor(0x2e9d4a); }
QColor misses() { return QColor(0xf0a30a); }
QColor lost() { return QColor(0xd62728); }
QColor moved() { return QColor(0x9467bd); }
QColor duplicates() { return QColor(0x8c564b); }
QColor expired() { return QColor(0x7f7f7f); }
QColor leaked() { return QColor(0xe377c2); }
QColor stale() { return QColor(0xbcbd22); }
QColor failure(int kind) {
    static constexpr std::array<QRgb, 7> colors = {0x9467bd, 0xff7f0e, 0x8c564b, 0xe6b800, 0xd62728, 0x17becf, 0x7f7f7f};
    return QColor(colors[static_cast<std::size_t>(kind) % colors.size()]);
}
QColor latency(int quantile) {
    static constexpr std::array<QRgb, 3> colors = {0x2ca02c, 0x1f77b4, 0xd62728};
    return QColor(colors[static_cast<std::size_t>(quantile) % colors.size()]);
}
QColor run(int index) {
    // Blue against orange first: the pair that stays apart for every colour-vision deficiency.
    static constexpr std::array<QRgb, 6> colors = {0x1f6fd6, 0xf07d00, 0x2ca02c, 0x9467bd, 0x8c564b, 0xe377c2};
    return QColor(colors[static_cast<std::size_t>(index) % colors.size()]);
}
QColor sharedEvent() { return QColor(0x6b7178); }
} // namespace SeriesColors

} // namespace statelab::gui
