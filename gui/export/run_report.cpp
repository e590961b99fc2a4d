#include "export/run_report.hpp"

#include "export/figure_files.hpp"
#include "export/run_export.hpp"
#include "run_tally.hpp"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>

namespace statelab::gui {

namespace {
QString esc(const QString& text) { return text.toHtmlEscaped(); }

// The generator's document as an element of the page: no XML prolog, and as wide as the page
// (the viewBox keeps the proportions) instead of a fixed size in millimetres.
QString inlineSvg(const QByteArray& svg) {
    QString text = QString::fromUtf8(svg);
    const qsizetype start = text.indexOf(QLatin1String("<svg"));
    if (start < 0) return {};
    text = text.mid(start);
    const qsizetype tagEnd = text.indexOf(QLatin1Char('>'));
    QString tag = text.left(tagEnd);
    tag.replace(QRegularExpression(QStringLiteral(R"(\swidth="[^"]*")")), QStringLiteral(R"( width="100%")"));
    tag.replace(QRegularExpression(QStringLiteral(R"(\sheight="[^"]*")")), QString());
    return tag + text.mid(tagEnd);
}

const char* const kStyle = R"(
body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2329;
       background: #f3f4f6; margin: 0; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 30px; margin: 8px 0 2px; } h2 { font-size: 21px; margin: 32px 0 10px; border-bottom: 2px solid #e3e6ea; }
.sub { color: #5f6670; margin: 0 0 16px; } .brand { color: #2f6fde; font-weight: 700; float: right; margin-top: 14px; }
table { border-collapse: collapse; min-width: 50%; } td, th { padding: 5px 14px 5px 0; text-align: left; }
th { color: #5f6670; font-weight: 600; border-bottom: 1px solid #d5d9de; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.alarm { color: #d62728; font-weight: 700; }
figure { margin: 18px 0 28px; }
pre { background: #f6f8fa; padding: 12px 16px; overflow-x: auto; font-size: 14px; border-radius: 4px; }
footer { color: #5f6670; font-size: 13px; margin-top: 40px; }
)";
} // namespace

QByteArray runReportHtml(const RunExport& run) {
    const QJsonObject& summary = run.summary;
    QString h;
    h += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h += QStringLiteral("<title>StateLab report — %1</title>\n<style>%2</style>\n</head>\n<body>\n<main>\n")
             .arg(esc(run.header.title), QString::fromLatin1(kStyle));
    h += QStringLiteral("<span class=\"brand\">StateLab</span>\n<h1>%1</h1>\n<p class=\"sub\">%2</p>\n")
             .arg(esc(run.header.title), esc(run.header.subtitle));

    h += QStringLiteral("<h2>Key figures</h2>\n<table class=\"figures\">\n");
    for (const KeyFigure& f : keyFigures(summary))
        h += QStringLiteral("<tr><th>%1</th><td class=\"n%3\">%2</td></tr>\n")
                 .arg(esc(f.label), esc(f.value), f.alarm ? QStringLiteral(" alarm") : QString());
    h += QStringLiteral("</table>\n");

    h += QStringLiteral("<h2>Per server</h2>\n<table class=\"per-node\">\n<tr><th>server</th><th>requests</th>"
                        "<th>peak active sessions</th></tr>\n");
    for (const QJsonValue& v : summary.value(QStringLiteral("per_node")).toArray()) {
        const QJsonObject n = v.toObject();
        h += QStringLiteral("<tr><td>%1</td><td class=\"n\">%2</td><td class=\"n\">%3</td></tr>\n")
                 .arg(esc(n.value(QStringLiteral("name")).toString()),
                      formatCount(static_cast<std::uint64_t>(n.value(QStringLiteral("requests")).toDouble())),
                      formatCount(static_cast<std::uint64_t>(n.value(QStringLiteral("sessions_peak")).toDouble())));
    }
    h += QStringLiteral("</table>\n");

    h += QStringLiteral("<h2>Charts</h2>\n");
    // Each chart titled alone: the page's header already names the run.
    for (std::size_t i = 0; i < run.charts.size(); ++i)
        h += QStringLiteral("<figure>\n%1\n</figure>\n")
                 .arg(inlineSvg(figureSvg(*chartFigure(run, i, false), run.charts[i].spec.title)));

    h += QStringLiteral("<h2>Events</h2>\n");
    const QJsonArray events = summary.value(QStringLiteral("events")).toArray();
    if (events.isEmpty()) h += QStringLiteral("<p>Nothing happened to the cluster during this run.</p>\n");
    else {
        h += QStringLiteral("<table class=\"events\">\n<tr><th>time (s)</th><th>action</th><th>target</th><th>detail</th></tr>\n");
        for (const QJsonValue& v : events) {
            const QJsonObject e = v.toObject();
            h += QStringLiteral("<tr><td class=\"n\">%1</td><td>%2</td><td>%3</td><td>%4</td></tr>\n")
                     .arg(QLocale::c().toString(e.value(QStringLiteral("t_s")).toDouble(), 'f', 1),
                          esc(e.value(QStringLiteral("action")).toString()), esc(e.value(QStringLiteral("target")).toString()),
                          esc(e.value(QStringLiteral("detail")).toString()));
        }
        h += QStringLiteral("</table>\n");
    }

    h += QStringLiteral("<h2>Scenario</h2>\n");
    if (run.scenarioJson.isEmpty()) h += QStringLiteral("<p>This run was driven by hand, without a scenario.</p>\n");
    else h += QStringLiteral("<p>Run it again with <code>statelab-cli run scenario.json --out DIR</code> "
                             "or Scenario ▸ Open in StateLab.</p>\n<pre class=\"scenario\">%1</pre>\n").arg(esc(run.scenarioJson));

    h += QStringLiteral("<footer>Made with StateLab %1 on %2. Lost sessions are counted by the client: each virtual "
                        "user checks every cart it gets back against what it added.</footer>\n</main>\n</body>\n</html>\n")
             .arg(esc(QCoreApplication::applicationVersion()),
                  QLocale::c().toString(QDateTime::currentDateTime(), QStringLiteral("yyyy-MM-dd HH:mm")));
    return h.toUtf8();
}

} // namespace statelab::gui
