// MainWindow, the guided lessons: the Lessons dock and menu, a lesson's run (the engine plays
// its story; the dock follows the snapshots), its verdict and its export for slides.
#include "main_window.hpp"

#include "charts/chart_view_base.hpp"
#include "cluster_panel.hpp"
#include "engine_bridge.hpp"
#include "event_log_dock.hpp"
#include "lab_files.hpp"
#include "lessons_dock.hpp"
#include "traffic_panel.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>

namespace statelab::gui {

void MainWindow::buildLessons() {
    m_lessons = new LessonsDock(this);
    m_lessons->loadLessons(lessons_dir(QCoreApplication::applicationDirPath().toStdString()));
    // A tab beside the lab's controls (a lesson sets them itself), in front at first sight: the
    // charts keep their width.
    addDockWidget(Qt::LeftDockWidgetArea, m_lessons);
    if (auto* controls = findChild<QDockWidget*>(QStringLiteral("controlsDock"))) tabifyDockWidget(controls, m_lessons);
    m_lessons->raise();
    connect(m_lessons, &LessonsDock::startRequested, this, &MainWindow::startLesson);
    connect(m_lessons, &LessonsDock::nextRequested, m_bridge, &EngineBridge::proceed);
    connect(m_lessons, &LessonsDock::watchChanged, this, &MainWindow::highlightChart);
    connect(m_lessons, &LessonsDock::exportRequested, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export the lesson for slides"));
        if (dir.isEmpty()) return;
        QString error;
        if (!exportLessonForSlides(dir, &error)) showError(tr("Cannot export the lesson"), error);
        else statusBar()->showMessage(tr("Lesson exported to %1").arg(QDir::toNativeSeparators(dir)), 8000);
    });

    QMenu* menu = menuBar()->addMenu(tr("Less&ons"));
    QAction* show = m_lessons->toggleViewAction();
    show->setText(tr("&Lessons panel"));
    show->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    menu->addAction(show);
    menu->addSeparator();
    for (std::size_t i = 0; i < m_lessons->lessons().size(); ++i) {
        const Lesson& lesson = m_lessons->lessons()[i];
        menu->addAction(QStringLiteral("&%1. %2").arg(i + 1).arg(QString::fromStdString(lesson.title)), this, [this, i] {
            m_lessons->show();
            m_lessons->raise();
            m_lessons->select(static_cast<int>(i));
        });
    }
}

void MainWindow::startLesson(const Lesson& lesson) {
    m_lesson.queue(lesson); // onLaunchRequested makes it this run's lesson
    m_scenario.set(lesson.scenario);
    m_cluster->setSettings(lesson.scenario);
    m_traffic->setSettings(lesson.scenario.traffic);
    setWindowTitle(QString::fromStdString(lesson.title));
    m_scenario.setRunPending(true); // launched: the engine plays it, with the lesson's holds
    onLaunchRequested(lesson.scenario);
    m_lessons->lessonStarted(lesson);
}

bool MainWindow::startLessonNamed(const QString& name, QString* error) {
    const auto& lessons = m_lessons->lessons();
    for (std::size_t i = 0; i < lessons.size(); ++i) {
        if (QString::fromStdString(lessons[i].name) != name) continue;
        m_lessons->select(static_cast<int>(i));
        startLesson(lessons[i]);
        return true;
    }
    if (error) *error = tr("no lesson named '%1' (statelab-cli lesson --list names them)").arg(name);
    return false;
}

void MainWindow::highlightChart(const QString& key) {
    for (ChartViewBase* chart : m_charts) {
        const bool on = !key.isEmpty() && chart->spec().key == key;
        chart->setHighlighted(on);
        // A chart on a tab behind another is brought to the front.
        if (!on) continue;
        for (QWidget* w = chart->parentWidget(); w; w = w->parentWidget())
            if (auto* tabs = qobject_cast<QTabWidget*>(w)) {
                tabs->setCurrentWidget(chart);
                break;
            }
    }
}

void MainWindow::finishLesson() {
    const Lesson* lesson = m_lesson.playing();
    if (!lesson) return;
    std::string summary = m_bridge->summaryJson(lesson->scenario.name);
    const LessonVerdict verdict = m_lesson.finish(runExport(), std::move(summary));
    const QString paragraph = QString::fromStdString(verdict.paragraph(*lesson));
    m_lessons->showResult(paragraph, verdict.held);
    m_log->addNote(m_tally.elapsed_s, paragraph, verdict.held ? QColor(0x2ca02c) : QColor(0xd62728));
    highlightChart(QString());
    if (m_lessons->stopsClusterAtEnd()) {
        m_cluster->setLaunching(true);
        m_cluster->showProgress(tr("The lesson is over: stopping its cluster…"));
        m_bridge->stop();
    }
}

bool MainWindow::exportLessonForSlides(const QString& dir, QString* error) {
    return m_lesson.exportForSlides(dir, error);
}

} // namespace statelab::gui
