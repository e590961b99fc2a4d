#include "compare/compare_window.hpp"
#include "window_size.hpp"

#include "charts/chart_view_base.hpp"
#include "compare/comparison.hpp"
#include "node_palette.hpp"
#include "compare/run_history.hpp"
#include "export/export_menu.hpp"
#include "export/figure_files.hpp"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace statelab::gui {

namespace {
QString itemText(const RunRecord& run) {
    return QStringLiteral("%1\n%2 · %3").arg(run.label, run.mode, whenKept(run.dir));
}
} // namespace

void CompareWindow::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape && event->modifiers() == Qt::NoModifier) {
        close();
        return;
    }
    QMainWindow::keyPressEvent(event);
}

CompareWindow::CompareWindow(QWidget* parent)
    : QMainWindow(parent), m_list(new QListWidget), m_figures(new QLabel) {
    setWindowTitle(tr("StateLab — compare runs"));
    setAttribute(Qt::WA_DeleteOnClose, parent != nullptr); // opened from the lab: gone when closed
    // Closed from the keyboard (mid-talk, with the lab behind it): Ctrl+W here, Escape in
    // keyPressEvent (what the focused list does not take reaches the window).
    auto* close = new QAction(this);
    close->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_W), QKeySequence::Close});
    connect(close, &QAction::triggered, this, &QWidget::close);
    addAction(close);

    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    auto* hint = new QLabel(tr("Tick two or more runs. Runs are aligned where their traffic started."));
    hint->setWordWrap(true);
    auto* add = new QPushButton(tr("Add run folder…"));
    auto* remove = new QPushButton(tr("Delete run…"));
    remove->setToolTip(tr("Deletes the selected kept run's folder"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    sideLayout->addWidget(hint);
    sideLayout->addWidget(m_list, 1);
    sideLayout->addLayout(buttons);
    auto* dock = new QDockWidget(tr("Runs"), this);
    dock->setObjectName(QStringLiteral("runsDock"));
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    dock->setWidget(side);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    m_list->setMinimumWidth(260);
    // A long scenario name is cut in its middle, never hidden past a scroll bar (its folder is the tooltip).
    m_list->setTextElideMode(Qt::ElideMiddle);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setObjectName(QStringLiteral("runList"));

    const RunExport empty = comparisonExport({});
    auto* central = new QWidget;
    auto* grid = new QGridLayout(central);
    grid->setSpacing(8);
    for (const FigurePanel& panel : empty.charts) {
        auto* chart = new ChartViewBase(panel.spec);
        chart->setWindow(0); // a finished run: all of it
        chart->setLegendOptional(true); // the key figures name every run whole, with its colour
        grid->addWidget(chart, static_cast<int>(m_charts.size()) / 3, static_cast<int>(m_charts.size()) % 3);
        m_charts.push_back(chart);
    }
    m_figures->setObjectName(QStringLiteral("keyFigures"));
    m_figures->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_figures->setWordWrap(true);
    m_figures->setMargin(12);
    grid->addWidget(m_figures, 1, 2);
    for (int c = 0; c < 3; ++c) grid->setColumnStretch(c, 1);
    setCentralWidget(central);

    m_export = new ExportMenu(this, [this] { return comparisonExport(m_runs); },
                              [this](const QString& dir, QString* error) { return exportTo(dir, error); });
    m_export->install(m_charts, false); // no report: that is one run's story

    connect(add, &QPushButton::clicked, this, &CompareWindow::addRunFolder);
    connect(remove, &QPushButton::clicked, this, &CompareWindow::deleteSelectedRun);
    connect(m_list, &QListWidget::itemChanged, this, &CompareWindow::refresh);
    for (const QString& dir : keptRuns()) addItem(dir, false, nullptr);
    refresh();
    resize(openingWindowSize()); // as the lab's window: never past a small screen's edge
}

bool CompareWindow::addItem(const QString& dir, bool checked, QString* error) {
    const QString absolute = QDir(dir).absolutePath();
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(Qt::UserRole).toString() == absolute) {
            if (checked) m_list->item(i)->setCheckState(Qt::Checked);
            return true;
        }
    }
    QString why;
    const std::optional<RunRecord> run = loadRun(dir, &why);
    if (!run) {
        if (error) *error = why;
        return false;
    }
    auto* item = new QListWidgetItem(itemText(*run));
    item->setData(Qt::UserRole, run->dir);
    item->setToolTip(QDir::toNativeSeparators(run->dir));
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    const QSignalBlocker quiet(m_list); // one refresh for the whole list, not one per item
    m_list->insertItem(0, item);
    return true;
}

bool CompareWindow::showRuns(const QStringList& dirs, QString* error) {
    // Last first: each insert goes to the top, so the list ends up in the order given.
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it)
        if (!addItem(*it, true, error)) return false;
    refresh();
    return true;
}

void CompareWindow::addRunFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("A run folder (with summary.json)"), runsRoot());
    if (dir.isEmpty()) return;
    QString error;
    if (!addItem(dir, true, &error)) QMessageBox::warning(this, tr("Not a run folder"), error);
    refresh();
}

void CompareWindow::deleteSelectedRun() {
    QListWidgetItem* item = m_list->currentItem();
    if (!item) return;
    const QString dir = item->data(Qt::UserRole).toString();
    if (QMessageBox::question(this, tr("Delete run"), tr("Delete the kept run “%1”?\n%2")
                                                         .arg(item->text().section(QLatin1Char('\n'), 0, 0),
                                                              QDir::toNativeSeparators(dir))) != QMessageBox::Yes)
        return;
    QString error;
    if (!deleteRun(dir, &error)) QMessageBox::warning(this, tr("Cannot delete the run"), error);
}

bool CompareWindow::deleteRun(const QString& dir, QString* error) {
    const QString root = QDir(runsRoot()).canonicalPath();
    const QString path = QDir(dir).canonicalPath();
    // Only what the lab keeps itself: a folder added from elsewhere is the user's, not ours.
    if (root.isEmpty() || path.isEmpty() || !path.startsWith(root + QLatin1Char('/'))) {
        if (error) *error = tr("%1 is not a kept run (not under %2): delete it yourself if you mean it").arg(dir, runsRoot());
        return false;
    }
    if (!QDir(path).removeRecursively()) {
        if (error) *error = tr("could not delete %1").arg(dir);
        return false;
    }
    for (int i = 0; i < m_list->count(); ++i) {
        if (QDir(m_list->item(i)->data(Qt::UserRole).toString()).absolutePath() == QDir(dir).absolutePath()) {
            const QSignalBlocker quiet(m_list);
            delete m_list->takeItem(i);
            break;
        }
    }
    refresh();
    return true;
}

void CompareWindow::tickOnly(const QStringList& dirs) {
    QStringList wanted;
    for (const QString& d : dirs) wanted << QDir(d).absolutePath();
    const QSignalBlocker quiet(m_list);
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem* item = m_list->item(i);
        item->setCheckState(wanted.contains(QDir(item->data(Qt::UserRole).toString()).absolutePath()) ? Qt::Checked
                                                                                                        : Qt::Unchecked);
    }
    refresh();
}

void CompareWindow::refresh() {
    m_runs.clear();
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->checkState() != Qt::Checked) continue;
        if (auto run = loadRun(m_list->item(i)->data(Qt::UserRole).toString(), nullptr)) m_runs.push_back(std::move(*run));
    }
    makeLabelsUnique(m_runs);
    const RunExport comparison = comparisonExport(m_runs);
    for (std::size_t i = 0; i < m_charts.size(); ++i) m_charts[i]->setData(comparison.charts[i].data);
    QString html = tr("<h3>Key figures</h3>");
    if (m_runs.size() < 2) html += tr("<p>Tick at least two runs to compare them.</p>");
    html += QStringLiteral("<table cellspacing=6>");
    // Each run's colour beside its whole name: the key to legends that had to be shortened.
    int run = 0;
    for (const KeyFigure& f : comparison.keyFigures)
        html += QStringLiteral("<tr><td style='color:%4'>&#9632;</td><td>%1</td><td style='%3'><b>%2</b></td></tr>")
                    .arg(f.label.toHtmlEscaped(), f.value.toHtmlEscaped(), f.alarm ? QStringLiteral("color:#d62728") : QString(),
                         SeriesColors::run(run++).name());
    m_figures->setText(html + QStringLiteral("</table>"));
    setWindowTitle(m_runs.empty() ? tr("StateLab — compare runs") : tr("StateLab — %1").arg(comparison.header.title));
}

bool CompareWindow::exportTo(const QString& dir, QString* error) {
    for (ChartViewBase* chart : m_charts) chart->replot();
    return writeWindowPng(*this, dir, error) && writeExportFolder(comparisonExport(m_runs), dir, error);
}

void CompareWindow::applyTheme(const Theme& theme) {
    for (ChartViewBase* chart : m_charts) chart->applyTheme(theme);
}

} // namespace statelab::gui
