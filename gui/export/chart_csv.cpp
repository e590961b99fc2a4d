#include "export/chart_csv.hpp"

#include <cmath>
#include <map>
#include <optional>
#include <vector>

namespace statelab::gui {

namespace {
// Spreadsheet-safe: quoted when it holds a separator, a quote or a line break.
QByteArray csvField(const QString& text) {
    QByteArray bytes = text.toUtf8();
    if (!bytes.contains(',') && !bytes.contains('"') && !bytes.contains('\n')) return bytes;
    return '"' + bytes.replace('"', "\"\"") + '"';
}

QByteArray number(double value) {
    // Counts stay integers; rates and milliseconds keep three decimals.
    if (value == std::floor(value) && std::abs(value) < 1e15) return QByteArray::number(static_cast<qlonglong>(value));
    return QByteArray::number(value, 'f', 3);
}
} // namespace

QByteArray chartCsv(const ChartData& data) {
    const auto& series = data.seriesInfo();
    // Every series of a chart gets its point from the same snapshot, so equal t_s means one
    // interval; a series without a point there (a node not yet added) leaves its cell empty.
    std::map<double, std::vector<std::optional<double>>> rows;
    for (std::size_t s = 0; s < series.size(); ++s) {
        for (const QPointF& p : data.points(static_cast<int>(s))) {
            auto& row = rows[p.x()];
            row.resize(series.size());
            if (!std::isnan(p.y())) row[s] = p.y(); // a gap (no answers) is an empty cell
        }
    }
    QByteArray out = "t_s";
    for (const SeriesInfo& info : series) out += ',' + csvField(info.label);
    out += '\n';
    for (const auto& [t, values] : rows) {
        out += QByteArray::number(t, 'f', 3);
        for (std::size_t s = 0; s < series.size(); ++s) {
            out += ',';
            if (s < values.size() && values[s]) out += number(*values[s]);
        }
        out += '\n';
    }
    return out;
}

} // namespace statelab::gui
