#include "lesson_session.hpp"

#include "export/figure_files.hpp"

#include <QDir>

namespace statelab::gui {

void LessonSession::queue(const Lesson& lesson) {
    m_finished.reset();
    m_pending = lesson;
}

bool LessonSession::launch() {
    const bool over = !m_pending && m_lesson;
    m_lesson = std::exchange(m_pending, std::nullopt);
    return over;
}

bool LessonSession::end() { return std::exchange(m_lesson, std::nullopt).has_value(); }

std::vector<double> LessonSession::holds() const { return m_lesson ? m_lesson->holds() : std::vector<double>{}; }

LessonVerdict LessonSession::finish(RunExport run, std::string summaryJson) {
    m_finished = Finished{*m_lesson, std::move(run), std::move(summaryJson)};
    return check_lesson(*m_lesson, m_finished->summary_json);
}

bool LessonSession::exportForSlides(const QString& dir, QString* error) const {
    if (!m_finished) {
        if (error) *error = m_lesson ? tr("the lesson has not finished yet") : tr("no lesson has run in this window");
        return false;
    }
    const Lesson& lesson = m_finished->lesson;
    if (!QDir().mkpath(dir)) {
        if (error) *error = tr("cannot create %1").arg(dir);
        return false;
    }
    // The charts the lesson asked to watch, in the window's order, and its result.
    QStringList watched;
    for (const LessonStep& step : lesson.steps) watched << QString::fromStdString(step.watch);
    const RunExport& run = m_finished->run;
    const QDir out(dir);
    for (std::size_t i = 0; i < run.charts.size(); ++i) {
        if (!watched.contains(run.charts[i].spec.key)) continue;
        const auto figure = chartFigure(run, i);
        const QString stem = out.filePath(fileStem(run.charts[i].spec));
        if (!writePng(*figure, stem + QStringLiteral(".png"), kPngSizes[1].pixels, error) ||
            !writeSvg(*figure, stem + QStringLiteral(".svg"), run.charts[i].spec.title, error))
            return false;
    }
    const LessonVerdict verdict = check_lesson(lesson, m_finished->summary_json);
    const QByteArray text = QString::fromStdString(lesson_text(lesson, verdict)).toUtf8();
    return writeFile(out.filePath(QStringLiteral("lesson.txt")), text, error);
}

} // namespace statelab::gui
