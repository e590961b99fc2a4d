#include "export/export_menu.hpp"

#include "export/chart_csv.hpp"
#include "export/figure_files.hpp"
#include "export/run_report.hpp"

#include <QDir>
#include <QFileDialog>
#include <QMenu>
#include <QStandardPaths>

namespace statelab::gui {

ExportMenu::ExportMenu(QWidget* window, Source source)
    : QObject(window), m_window(window), m_source(std::move(source)),
      m_lastDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)) {
    if (m_lastDir.isEmpty() || !QDir(m_lastDir).exists()) m_lastDir = QDir::homePath();
}

void ExportMenu::fill(QMenu* menu, const QStringList& chartTitles, bool withReport) {
    addFigureActions(menu->addMenu(tr("&Dashboard (all charts)")), -1);
    menu->addSeparator();
    for (int i = 0; i < chartTitles.size(); ++i) addFigureActions(menu->addMenu(chartTitles[i]), i);
    menu->addSeparator();
    if (withReport) menu->addAction(tr("&Report (HTML)…"), this, &ExportMenu::report);
    menu->addAction(tr("Everything to a &folder…"), this, &ExportMenu::folder);
}

void ExportMenu::addFigureActions(QMenu* menu, int index) {
    // Each action builds its figure when triggered: from the data as it is then.
    auto figureOf = [index](const RunExport& run) { return index < 0 ? dashboardFigure(run) : chartFigure(run, index); };
    auto stemOf = [index](const RunExport& run) {
        return index < 0 ? QStringLiteral("dashboard") : fileStem(run.charts.at(index).spec);
    };
    auto titleOf = [index](const RunExport& run) { return index < 0 ? run.header.title : run.charts.at(index).spec.title; };

    menu->addAction(tr("&Copy image"), this, [=, this] {
        const RunExport run = m_source();
        copyToClipboard(*figureOf(run), kPngSizes[1].pixels);
        emit exported(tr("the clipboard"));
    });
    menu->addSeparator();
    for (const PngSize& size : kPngSizes) {
        menu->addAction(tr("PNG %1…").arg(QString::fromUtf8(size.label)), this, [=, this] {
            const RunExport run = m_source();
            const QString path = askPath(stemOf(run), QStringLiteral(".png"), tr("PNG image (*.png)"));
            QString error;
            if (!path.isEmpty()) done(writePng(*figureOf(run), path, size.pixels, &error), path, error);
        });
    }
    menu->addAction(tr("&SVG (vector)…"), this, [=, this] {
        const RunExport run = m_source();
        const QString path = askPath(stemOf(run), QStringLiteral(".svg"), tr("SVG image (*.svg)"));
        QString error;
        if (!path.isEmpty()) done(writeSvg(*figureOf(run), path, titleOf(run), &error), path, error);
    });
    menu->addAction(tr("&PDF (vector)…"), this, [=, this] {
        const RunExport run = m_source();
        const QString path = askPath(stemOf(run), QStringLiteral(".pdf"), tr("PDF document (*.pdf)"));
        QString error;
        if (!path.isEmpty()) done(writePdf(*figureOf(run), path, titleOf(run), &error), path, error);
    });
    if (index >= 0) {
        menu->addAction(tr("Data (&CSV)…"), this, [=, this] {
            const RunExport run = m_source();
            const QString path = askPath(stemOf(run), QStringLiteral(".csv"), tr("CSV (*.csv)"));
            QString error;
            if (!path.isEmpty()) done(writeFile(path, chartCsv(run.charts.at(index).data), &error), path, error);
        });
    }
}

QString ExportMenu::askPath(const QString& stem, const QString& suffix, const QString& filter) {
    QString path = QFileDialog::getSaveFileName(m_window, tr("Export"), QDir(m_lastDir).filePath(stem + suffix), filter);
    if (path.isEmpty()) return path;
    if (!path.endsWith(suffix, Qt::CaseInsensitive)) path += suffix;
    m_lastDir = QFileInfo(path).absolutePath();
    return path;
}

void ExportMenu::report() {
    const RunExport run = m_source();
    const QString path = askPath(QStringLiteral("report"), QStringLiteral(".html"), tr("HTML report (*.html)"));
    if (path.isEmpty()) return;
    QString error;
    done(writeFile(path, runReportHtml(run), &error), path, error);
}

void ExportMenu::folder() {
    const QString dir = QFileDialog::getExistingDirectory(m_window, tr("Export everything to"), m_lastDir);
    if (dir.isEmpty()) return;
    m_lastDir = dir;
    QString error;
    done(writeExportFolder(m_source(), dir, &error), dir, error);
}

void ExportMenu::done(bool ok, const QString& where, const QString& error) {
    if (ok) emit exported(QDir::toNativeSeparators(where));
    else emit exportFailed(error);
}

} // namespace statelab::gui
