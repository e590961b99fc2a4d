#include "export/run_export.hpp"

#include "export/chart_csv.hpp"
#include "export/figure_files.hpp"
#include "export/run_report.hpp"
#include "file_slug.hpp"
#include "run_tally.hpp"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QLocale>

namespace statelab::gui {

namespace {
QString count(const QJsonValue& value) { return formatCount(static_cast<std::uint64_t>(value.toDouble())); }
QString ms(const QJsonValue& value) { return QLocale::c().toString(value.toDouble(), 'f', 2) + QStringLiteral(" ms"); }
} // namespace

QString runSubtitle(const QString& modeLabel, int nodes, const QString& balancer, const QDateTime& when) {
    const QString servers = nodes == 1 ? QObject::tr("1 app server") : QObject::tr("%1 app servers").arg(nodes);
    const QString date = QLocale::c().toString(when, QStringLiteral("yyyy-MM-dd HH:mm"));
    if (balancer.isEmpty()) return QStringLiteral("%1 · %2 · %3").arg(modeLabel, servers, date);
    return QStringLiteral("%1 · %2 · %3 · %4").arg(modeLabel, servers, balancer, date);
}

std::vector<KeyFigure> keyFigures(const QJsonObject& summary) {
    const QJsonObject sessions = summary.value(QStringLiteral("sessions")).toObject();
    const QJsonObject failures = summary.value(QStringLiteral("failures")).toObject();
    const QJsonObject latency = summary.value(QStringLiteral("latency_ms")).toObject();
    double failed = 0;
    for (const QJsonValue& v : failures) failed += v.toDouble();
    const double lost = sessions.value(QStringLiteral("lost")).toDouble();
    return {{QObject::tr("Requests"), count(summary.value(QStringLiteral("requests")))},
            {QObject::tr("Sessions created"), count(sessions.value(QStringLiteral("created")))},
            {QObject::tr("Session hits"), count(sessions.value(QStringLiteral("hits")))},
            {QObject::tr("Session misses"), count(sessions.value(QStringLiteral("misses")))},
            {QObject::tr("Lost sessions"), count(lost), lost > 0},
            {QObject::tr("Failed requests"), count(failed), failed > 0},
            {QObject::tr("Latency p50 / p99"),
             ms(latency.value(QStringLiteral("p50"))) + QStringLiteral(" / ") + ms(latency.value(QStringLiteral("p99")))},
            {QObject::tr("Duration"), formatDuration(summary.value(QStringLiteral("duration_s")).toDouble())}};
}

QString fileStem(const ChartSpec& spec) {
    const QString stem = fileSlug(spec.title);
    return stem.isEmpty() ? spec.key : stem;
}

std::unique_ptr<Figure> chartFigure(const RunExport& run, std::size_t index, bool runSubtitle) {
    const FigurePanel& panel = run.charts.at(index);
    const FigureHeader header{panel.spec.title,
                              runSubtitle ? run.header.title + QStringLiteral(" — ") + run.header.subtitle : QString()};
    return std::make_unique<Figure>(header, panel);
}

std::unique_ptr<Figure> dashboardFigure(const RunExport& run) {
    return std::make_unique<Figure>(run.header, run.charts, run.keyFigures);
}

bool writeExportFolder(const RunExport& run, const QString& dir, QString* error) {
    if (!QDir().mkpath(dir)) {
        if (error) *error = QObject::tr("cannot create %1").arg(dir);
        return false;
    }
    const QDir out(dir);
    const QSize png = kPngSizes[1].pixels;
    for (std::size_t i = 0; i < run.charts.size(); ++i) {
        const FigurePanel& panel = run.charts[i];
        const auto figure = chartFigure(run, i);
        const QString stem = out.filePath(fileStem(panel.spec));
        if (!writePng(*figure, stem + QStringLiteral(".png"), png, error) ||
            !writeSvg(*figure, stem + QStringLiteral(".svg"), panel.spec.title, error) ||
            !writePdf(*figure, stem + QStringLiteral(".pdf"), panel.spec.title, error) ||
            !writeFile(stem + QStringLiteral(".csv"), chartCsv(panel.data), error))
            return false;
    }
    const auto dashboard = dashboardFigure(run);
    const QString stem = out.filePath(QStringLiteral("dashboard"));
    if (!writePng(*dashboard, stem + QStringLiteral(".png"), png, error) ||
        !writeSvg(*dashboard, stem + QStringLiteral(".svg"), run.header.title, error) ||
        !writePdf(*dashboard, stem + QStringLiteral(".pdf"), run.header.title, error))
        return false;
    if (run.summary.isEmpty()) return true;
    return writeFile(out.filePath(QStringLiteral("report.html")), runReportHtml(run), error);
}

} // namespace statelab::gui
