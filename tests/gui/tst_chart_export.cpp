// Exports as a user would check them: the PNG has the asked size and is a chart, not a blank;
// the SVG is XML with the axis titles as text; the PDF opens with one page; the CSV has one row
// per interval; the HTML report opens without a network and carries its charts as SVG.
#include "charts/chart_figure.hpp"
#include "export/chart_csv.hpp"
#include "export/figure.hpp"
#include "export/figure_files.hpp"
#include "export/run_export.hpp"
#include "export/run_report.hpp"
#include "support/required_tool.hpp"

#include <QDir>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace statelab::gui;

namespace {

constexpr int kIntervals = 240; // a minute of 250 ms snapshots
const QColor kNode1(0x1f77b4), kNode2(0xff7f0e);

// A sticky run's first minute: two nodes, node-2 dies at 40 s.
RunExport sampleRun() {
    RunExport run;
    run.header = {QStringLiteral("sticky: kill node-2"), QStringLiteral("Sticky sessions (cookie) · 2 nodes · 2026-11-23 10:00")};
    FigurePanel requests{{QStringLiteral("requests"), QStringLiteral("Requests per server"), QStringLiteral("requests / s"),
                          QStringLiteral("time since launch (s)")},
                         ChartData()};
    const int n1 = requests.data.series(QStringLiteral("node-1"), QStringLiteral("node-1"), kNode1);
    const int n2 = requests.data.series(QStringLiteral("node-2"), QStringLiteral("node-2"), kNode2);
    for (int i = 0; i < kIntervals; ++i) {
        const double t = i * 0.25;
        requests.data.append(n1, t, t < 40 ? 900 : 1800);
        requests.data.append(n2, t, t < 40 ? 880 : 0);
    }
    requests.data.addMarker({40, QStringLiteral("kill node-2"), QColor(0xd62728)});
    FigurePanel lost{{QStringLiteral("flow"), QStringLiteral("Session hits / misses / lost"), QStringLiteral("per second"),
                      QStringLiteral("time since launch (s)")},
                     ChartData()};
    const int l = lost.data.series(QStringLiteral("lost"), QStringLiteral("lost sessions"), QColor(0xd62728), true);
    for (int i = 0; i < kIntervals; ++i) lost.data.append(l, i * 0.25, i == 161 ? 88 : 0);
    run.charts = {requests, lost};
    run.summary = QJsonObject{{QStringLiteral("scenario"), QStringLiteral("sticky: kill node-2")},
                              {QStringLiteral("requests"), 200000},
                              {QStringLiteral("sessions"), QJsonObject{{QStringLiteral("lost"), 88}}},
                              {QStringLiteral("per_node"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("node-1")},
                                                                                  {QStringLiteral("requests"), 120000}}}},
                              {QStringLiteral("events"), QJsonArray{QJsonObject{{QStringLiteral("t_s"), 40.0},
                                                                                {QStringLiteral("action"), QStringLiteral("kill")},
                                                                                {QStringLiteral("target"), QStringLiteral("node-2")}}}}};
    run.keyFigures = keyFigures(run.summary);
    run.scenarioJson = QStringLiteral("{ \"name\": \"sticky: kill node-2\", \"mode\": \"sticky\" }");
    return run;
}

bool hasColourNear(const QImage& image, const QColor& colour) {
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - colour.red()) + std::abs(c.green() - colour.green()) + std::abs(c.blue() - colour.blue()) < 30)
                return true;
        }
    return false;
}

QString svgText(const QByteArray& svg, QString* error) {
    QXmlStreamReader xml(svg);
    QString text;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isCharacters()) text += xml.text().toString() + QLatin1Char('\n');
    }
    if (xml.hasError()) *error = xml.errorString();
    return text;
}

} // namespace

class TestChartExport : public QObject {
    Q_OBJECT

private slots:
    // A long run name on a 1280 px chart slide: the header wraps, nothing runs off the image or
    // under the StateLab mark.
    void longTitlesWrapInsideTheImage() {
        RunExport run = sampleRun();
        run.header.title = QStringLiteral("sticky · 16 nodes · HAProxy · kill node-2, restart node-2, remove node-16, … · 14:02");
        run.header.subtitle = QStringLiteral("Sticky sessions (cookie) · 16 app servers · HAProxy · cookie · 2026-11-29 14:02");
        run.keyFigures.push_back({QStringLiteral("Latency p50 / p95 / p99 over the whole run"), QStringLiteral("0.42 / 1.10 / 6.40 ms")});
        for (const auto& figure : {chartFigure(run, 0), dashboardFigure(run)}) {
            const QRectF canvas = figure->scene().sceneRect();
            std::vector<QGraphicsSimpleTextItem*> texts;
            for (QGraphicsItem* item : figure->scene().items()) {
                auto* text = dynamic_cast<QGraphicsSimpleTextItem*>(item);
                if (!text || text->parentItem()) continue; // chart labels live inside the chart
                texts.push_back(text);
                QVERIFY2(canvas.contains(text->sceneBoundingRect()),
                         qPrintable(QStringLiteral("“%1” leaves the %2x%3 image").arg(text->text()).arg(canvas.width()).arg(canvas.height())));
            }
            QVERIFY(texts.size() >= 3); // title, subtitle, the mark
            // Header, mark, key figures: no text over another (a long label under its value).
            for (std::size_t i = 0; i < texts.size(); ++i)
                for (std::size_t j = i + 1; j < texts.size(); ++j)
                    QVERIFY2(!texts[i]->sceneBoundingRect().intersects(texts[j]->sceneBoundingRect()),
                             qPrintable(QStringLiteral("“%1” overlaps “%2”").arg(texts[i]->text(), texts[j]->text())));
        }
    }

    void pngHasTheAskedSizeAndShowsTheChart_data() {
        QTest::addColumn<QSize>("size");
        for (const PngSize& s : kPngSizes) QTest::newRow(s.label) << s.pixels;
    }
    void pngHasTheAskedSizeAndShowsTheChart() {
        QFETCH(QSize, size);
        const RunExport run = sampleRun();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("chart.png"));
        QString error;
        QVERIFY2(writePng(*chartFigure(run, 0), path, size, &error), qPrintable(error));
        const QImage image(path);
        QCOMPARE(image.size(), size);
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 5)
            for (int x = 0; x < image.width(); x += 5) colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
        // Both nodes' lines are drawn in their colours, on the presentation's light background.
        QVERIFY(hasColourNear(image, kNode1));
        QVERIFY(hasColourNear(image, kNode2));
        QVERIFY(image.pixelColor(2, 2).lightness() > 240);
    }

    void bigPngIsRenderedNotUpscaled() {
        // Sharp at 4K: a 1 px hairline of the small image would be a 3 px blur if scaled up;
        // rendered, the 4K image has ~3x the edge pixels per row, not a smeared few.
        const RunExport run = sampleRun();
        const QImage small = figureImage(*chartFigure(run, 0), QSize(1280, 720));
        const QImage big = figureImage(*chartFigure(run, 0), QSize(3840, 2160));
        auto hardEdges = [](const QImage& image) {
            int edges = 0;
            for (int y = 0; y < image.height(); y += 3)
                for (int x = 1; x < image.width(); ++x)
                    if (std::abs(qGray(image.pixel(x, y)) - qGray(image.pixel(x - 1, y))) > 120) ++edges;
            return edges;
        };
        const QImage upscaled = small.scaled(big.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        QVERIFY2(hardEdges(big) > 1.5 * hardEdges(upscaled),
                 qPrintable(QStringLiteral("%1 vs %2").arg(hardEdges(big)).arg(hardEdges(upscaled))));
    }

    void svgIsXmlWithTheAxisTitlesAsText() {
        const RunExport run = sampleRun();
        const QByteArray svg = figureSvg(*chartFigure(run, 0), QStringLiteral("Requests per server"));
        QString error;
        const QString text = svgText(svg, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(svg.contains("<svg"));
        for (const char* expected : {"requests / s", "time since launch (s)", "Requests per server", "kill node-2", "node-1"})
            QVERIFY2(text.contains(QLatin1String(expected)), expected);
        // Vector: the lines are paths, not an embedded bitmap of the chart.
        QVERIFY(svg.contains("<path") || svg.contains("<polyline"));
        QVERIFY(!svg.contains("<image"));
    }

    void pdfOpensWithOnePage() {
        const QString pdfinfo_path = statelab::test::find_tool(QStringLiteral("pdfinfo"));
        REQUIRE_TOOL(pdfinfo_path, "pdfinfo (Debian package poppler-utils)");
        QTemporaryDir dir;
        const RunExport run = sampleRun();
        QString error;
        for (const QString& name : {QStringLiteral("chart.pdf"), QStringLiteral("dashboard.pdf")}) {
            const auto figure = name.startsWith(QLatin1String("chart")) ? chartFigure(run, 0) : dashboardFigure(run);
            QVERIFY2(writePdf(*figure, dir.filePath(name), QStringLiteral("t"), &error), qPrintable(error));
            QProcess pdfinfo;
            pdfinfo.start(pdfinfo_path, {dir.filePath(name)});
            QVERIFY(pdfinfo.waitForFinished(20000));
            const QString info = QString::fromUtf8(pdfinfo.readAllStandardOutput());
            QCOMPARE(pdfinfo.exitCode(), 0);
            QVERIFY2(info.contains(QRegularExpression(QStringLiteral("Pages:\\s+1\\n"))), qPrintable(info));
            // 16:9 like the slide it is made for.
            const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("Page size:\\s+([\\d.]+) x ([\\d.]+) pts")).match(info);
            QVERIFY2(m.hasMatch(), qPrintable(info));
            QCOMPARE(qRound(100 * m.captured(1).toDouble() / m.captured(2).toDouble()), 178);
        }
    }

    void csvHasTheHeaderAndOneRowPerInterval() {
        const RunExport run = sampleRun();
        const QList<QByteArray> lines = chartCsv(run.charts[0].data).split('\n');
        QCOMPARE(lines.first(), QByteArray("t_s,node-1,node-2"));
        QCOMPARE(lines.size() - 2, kIntervals); // header and the final newline
        QCOMPARE(lines[1], QByteArray("0.000,900,880"));
        QCOMPARE(lines[kIntervals], QByteArray("59.750,1800,0"));
    }

    void reportIsOneFileThatNeedsNoNetwork() {
        const RunExport run = sampleRun();
        const QString html = QString::fromUtf8(runReportHtml(run));
        QCOMPARE(html.count(QStringLiteral("<svg")), static_cast<int>(run.charts.size()));
        QVERIFY(html.contains(QStringLiteral("kill")));
        QVERIFY(html.contains(QStringLiteral("&quot;mode&quot;: &quot;sticky&quot;"))); // the scenario, escaped
        QVERIFY(html.contains(QStringLiteral("Lost sessions")));
        // Nothing to fetch: no script, stylesheet link, image or font from anywhere. (SVG's
        // xmlns="http://www.w3.org/2000/svg" is a name, never fetched.)
        for (const char* forbidden : {"<script", "<link", "<img", "<iframe", "@import", "url("})
            QVERIFY2(!html.contains(QLatin1String(forbidden)), forbidden);
        static const QRegularExpression fetch(QStringLiteral("(src|href)\\s*=\\s*[\"']?(https?:|\\/\\/)"));
        QVERIFY(!html.contains(fetch));
    }

    void exportFolderHoldsEveryFile() {
        QTemporaryDir dir;
        QString error;
        QVERIFY2(writeExportFolder(sampleRun(), dir.path(), &error), qPrintable(error));
        for (const char* name : {"requests-per-server.png", "requests-per-server.svg", "requests-per-server.pdf",
                                 "requests-per-server.csv", "session-hits-misses-lost.png", "dashboard.png", "dashboard.svg",
                                 "dashboard.pdf", "report.html"})
            QVERIFY2(QFileInfo(dir.filePath(QLatin1String(name))).size() > 0, name);
        QCOMPARE(QImage(dir.filePath(QStringLiteral("dashboard.png"))).size(), QSize(1920, 1080));
    }

    void unwritableFolderIsAClearError() {
        QString error;
        QVERIFY(!writeExportFolder(sampleRun(), QStringLiteral("/proc/statelab-export"), &error));
        QVERIFY2(error.contains(QStringLiteral("/proc/statelab-export")), qPrintable(error));
    }
};

QTEST_MAIN(TestChartExport)
#include "tst_chart_export.moc"
