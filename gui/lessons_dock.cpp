#include "lessons_dock.hpp"

#include "lab_files.hpp"

#include <QLabel>
#include <QListWidget>
#include <QCheckBox>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace statelab::gui {

namespace {

QString html(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }

// The step a story is in: the last one whose time has come and, if it waits for "Next", whose
// hold was released.
int stepOf(const Lesson& lesson, const StoryStatus& story) {
    int step = -1;
    std::size_t holds = 0;
    for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
        const LessonStep& s = lesson.steps[i];
        if (s.waits_for_next && holds++ >= story.holds_passed) break;
        if (story.story_s + 1e-6 < s.at_s && !story.finished) break;
        step = static_cast<int>(i);
    }
    return step;
}

} // namespace

LessonsDock::LessonsDock(QWidget* parent)
    : QDockWidget(tr("Lessons"), parent), m_list(new QListWidget), m_text(new QTextBrowser), m_state(new QLabel),
      m_start(new QPushButton(tr("Start lesson"))), m_next(new QPushButton(tr("Next ▸"))),
      m_export(new QPushButton(tr("Export for slides…"))),
      m_stopAtEnd(new QCheckBox(tr("Stop the cluster when the lesson ends"))) {
    m_stopAtEnd->setObjectName(QStringLiteral("stopAtLessonEnd"));
    m_stopAtEnd->setChecked(true);
    m_stopAtEnd->setToolTip(tr("The charts, the verdict and the kept run stay; the processes go"));
    setObjectName(QStringLiteral("lessonsDock"));
    setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    m_list->setObjectName(QStringLiteral("lessonList"));
    m_text->setObjectName(QStringLiteral("lessonText"));
    m_state->setObjectName(QStringLiteral("lessonState"));
    m_start->setObjectName(QStringLiteral("startLesson"));
    m_next->setObjectName(QStringLiteral("nextStep"));
    m_export->setObjectName(QStringLiteral("exportLesson"));
    m_next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_next->setToolTip(tr("Go on to the next step (Ctrl+N)"));
    m_text->setOpenLinks(false);
    m_list->setWordWrap(true); // whole titles: the dock is narrow
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_state->setWordWrap(true);
    auto* body = new QWidget;
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_list, 2);
    layout->addWidget(m_text, 5);
    layout->addWidget(m_state);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_next);
    layout->addLayout(buttons);
    layout->addWidget(m_stopAtEnd);
    layout->addWidget(m_export);
    setWidget(body);
    connect(m_list, &QListWidget::currentRowChanged, this, [this] { render(); });
    connect(m_list, &QListWidget::itemActivated, this, [this] { m_start->click(); });
    connect(m_start, &QPushButton::clicked, this, [this] {
        const int row = selected();
        if (row >= 0) emit startRequested(m_lessons[static_cast<std::size_t>(row)]);
    });
    connect(m_next, &QPushButton::clicked, this, &LessonsDock::nextRequested);
    connect(m_export, &QPushButton::clicked, this, &LessonsDock::exportRequested);
    render();
}

void LessonsDock::loadLessons(const std::filesystem::path& dir) {
    m_lessons.clear();
    m_list->clear();
    for (LessonResult& loaded : load_lessons(dir)) {
        if (!loaded) {
            // Listed, but it cannot be started: the reason is on the line.
            auto* item = new QListWidgetItem(tr("%1 (cannot be read)").arg(QString::fromStdString(loaded.file.stem().string())));
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
            item->setToolTip(QString::fromStdString(loaded.error));
            m_list->addItem(item);
            continue;
        }
        m_lessons.push_back(*loaded.lesson);
        m_list->addItem(QStringLiteral("%1. %2").arg(m_lessons.size()).arg(QString::fromStdString(loaded.lesson->title)));
    }
    if (!m_lessons.empty()) m_list->setCurrentRow(0);
    render();
}

void LessonsDock::select(int index) {
    for (int row = 0, lesson = -1; row < m_list->count(); ++row)
        if ((m_list->item(row)->flags() & Qt::ItemIsEnabled) && ++lesson == index) m_list->setCurrentRow(row);
}

int LessonsDock::selected() const {
    // Rows of unreadable files are not lessons: count only the readable ones up to the row.
    const int row = m_list->currentRow();
    if (row < 0 || !(m_list->item(row)->flags() & Qt::ItemIsEnabled)) return -1;
    int index = -1;
    for (int i = 0; i <= row; ++i) index += (m_list->item(i)->flags() & Qt::ItemIsEnabled) ? 1 : 0;
    return index;
}

void LessonsDock::lessonStarted(const Lesson& lesson) {
    m_running = lesson;
    m_step = -1;
    m_held = false;
    m_finished = false;
    m_result.clear();
    render();
}

void LessonsDock::showStory(const StoryStatus& story) {
    if (!m_running || m_finished) return;
    const int step = stepOf(*m_running, story);
    const bool changed = step != m_step || story.held != m_held;
    const QString before = watchedChart();
    m_step = step;
    m_held = story.held;
    if (!changed) return;
    render();
    if (watchedChart() != before) emit watchChanged(watchedChart());
}

void LessonsDock::showResult(const QString& paragraph, bool held) {
    if (!m_running) return;
    m_finished = true;
    m_result = paragraph;
    m_resultHeld = held;
    render();
}

void LessonsDock::lessonStopped() {
    if (!m_running || m_finished) return; // a finished lesson keeps its result on show
    m_running.reset();
    m_step = -1;
    render();
    emit watchChanged(QString());
}

QString LessonsDock::watchedChart() const {
    if (!m_running || m_step < 0 || m_finished) return {};
    return QString::fromStdString(m_running->steps[static_cast<std::size_t>(m_step)].watch);
}

bool LessonsDock::stopsClusterAtEnd() const { return m_stopAtEnd->isChecked(); }

QString LessonsDock::text() const { return m_text->toPlainText() + QLatin1Char('\n') + m_state->text(); }

void LessonsDock::render() {
    const int row = selected();
    const Lesson* shown = m_running ? &*m_running : row >= 0 ? &m_lessons[static_cast<std::size_t>(row)] : nullptr;
    m_start->setEnabled(row >= 0);
    m_start->setText(m_running && !m_finished ? tr("Start again") : tr("Start lesson"));
    m_next->setEnabled(m_running && m_held);
    m_export->setEnabled(m_running && m_finished);
    if (!shown) {
        m_text->setHtml(tr("<p>No lessons were found.</p>"));
        m_state->clear();
        return;
    }
    QString page = QStringLiteral("<h3>%1</h3><p>%2</p><ol>").arg(html(shown->title), html(shown->why));
    for (std::size_t i = 0; i < shown->steps.size(); ++i) {
        const LessonStep& step = shown->steps[i];
        const bool current = m_running && static_cast<int>(i) == m_step && !m_finished;
        const bool done = m_running && (static_cast<int>(i) < m_step || m_finished);
        QString line = html(step.text);
        if (current) line = QStringLiteral("<b>%1</b>").arg(line);
        else if (done) line = QStringLiteral("<span style='color:#7f8790'>%1</span>").arg(line);
        page += QStringLiteral("<li>%1</li>").arg(line);
    }
    page += QStringLiteral("</ol><p><i>%1</i> %2</p>").arg(tr("Prediction:"), html(shown->prediction));
    if (m_running && m_finished)
        page += QStringLiteral("<p style='color:%1'><b>%2</b></p>")
                    .arg(m_resultHeld ? QStringLiteral("#2ca02c") : QStringLiteral("#d62728"), m_result.toHtmlEscaped());
    m_text->setHtml(page);
    if (!m_running) m_state->setText(tr("Press Start lesson: the lab launches its cluster and runs it."));
    else if (m_finished) m_state->setText(m_resultHeld ? tr("Done: the prediction held.") : tr("Done: the prediction did not hold."));
    else if (m_held) m_state->setText(tr("Ready for the next step: press Next ▸ (Ctrl+N)."));
    else if (m_step < 0) m_state->setText(tr("Launching the cluster…"));
    else m_state->setText(tr("Step %1 of %2: watch the highlighted chart.").arg(m_step + 1).arg(m_running->steps.size()));
}

} // namespace statelab::gui
