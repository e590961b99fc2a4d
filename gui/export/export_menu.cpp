#include "export/export_menu.hpp"

#include "export/chart_csv.hpp"
#include "export/figure_files.hpp"
#include "export/run_report.hpp"

#include "charts/chart_view_base.hpp"

#include <QDir>
#include <QFileDialog>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>

namespace statelab::gui {

ExportMenu::ExportMenu(QMainWindow* window, Source source, FolderWriter folderWriter)
    : QObject(window), m_window(window), m_source(std::move(source)), m_folderWriter(std::move(folderWriter)),
      m_lastDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)) {
    if (m_lastDir.isEmpty() || !QDir(m_lastDir).exists()) m_lastDir = QDir::homePath();
}

QMenu* ExportMenu::install(const std::vector<ChartViewBase*>& charts, bool withReport) {
    QMenu* menu = m_window->menuBar()->addMenu(tr("&Export"));
    addFigureActions(menu->addMenu(tr("&Dashboard (all charts)")), -1);
    menu->addSeparator();
    for (std::size_t i = 0; i < charts.size(); ++i) addFigureActions(menu->addMenu(charts[i]->title()), static_cast<int>(i));
    menu->addSeparator();
    if (withReport) menu->addAction(tr("&Report (HTML)…"), this, &ExportMenu::report);
    menu->addAction(tr("Everything to a &folder…"), this, &ExportMenu::folder);
    // Right-click a chart: the same choices for that chart alone.
    for (std::size_t i = 0; i < charts.size(); ++i) {
        ChartViewBase* chart = charts[i];
        chart->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(chart, &QWidget::customContextMenuRequested, this, [this, chart, i](const QPoint& at) {
            QMenu context;
            context.addSection(tr("Export “%1”").arg(chart->title()));
            addFigureActions(&context, static_cast<int>(i));
            context.exec(chart->mapToGlobal(at));
        });
    }
    return menu;
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
        m_window->statusBar()->showMessage(tr("Copied to the clipboard"), 4000);
    });
    menu->addSeparator();
    for (const PngSize& size : kPngSizes) {
        QAction* png = menu->addAction(tr("PNG %1…").arg(QString::fromUtf8(size.label)), this, [=, this] {
            const RunExport run = m_source();
            const QString path = askPath(stemOf(run), QStringLiteral(".png"), tr("PNG image (*.png)"));
            QString error;
            if (!path.isEmpty()) done(writePng(*figureOf(run), path, size.pixels, &error), path, error);
        });
        if (index < 0 && &size == &kPngSizes[1]) {
            // Ctrl+E: the dashboard for a slide, also in presentation mode (menu bar hidden).
            png->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
            m_window->addAction(png);
        }
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
    done(m_folderWriter(dir, &error), dir, error);
}

void ExportMenu::done(bool ok, const QString& where, const QString& error) {
    if (ok) m_window->statusBar()->showMessage(tr("Exported to %1").arg(QDir::toNativeSeparators(where)), 6000);
    else QMessageBox::warning(m_window, tr("The export failed"), error);
}

} // namespace statelab::gui
