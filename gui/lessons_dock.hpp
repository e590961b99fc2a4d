#pragma once
// The Lessons panel: the guided experiments of resources/lessons. Pick one, press Start: the
// window launches its cluster and the engine plays it; the panel follows the story (the
// snapshots' StoryStatus) step by step, waits for "Next" where the lesson says so, and at the
// end holds the prediction against what the run measured.
#include "model/lesson.hpp"
#include "model/story_status.hpp"

#include <QDockWidget>

class QCheckBox;

#include <filesystem>
#include <optional>
#include <vector>

class QLabel;
class QListWidget;
class QPushButton;
class QTextBrowser;

namespace statelab::gui {

class LessonsDock : public QDockWidget {
    Q_OBJECT
public:
    explicit LessonsDock(QWidget* parent = nullptr);

    // Reads every lesson of the lessons folder; those that cannot be read are listed, greyed,
    // with the reason.
    void loadLessons(const std::filesystem::path& dir);
    const std::vector<Lesson>& lessons() const { return m_lessons; }
    void select(int index);
    int selected() const;

    // The running lesson (set by the window when it starts it), its story, its result.
    void lessonStarted(const Lesson& lesson);
    void showStory(const StoryStatus& story);
    void showResult(const QString& paragraph, bool held);
    void lessonStopped(); // the cluster went away before the lesson's end
    // The step the story is in (-1: none yet), and the chart it asks to watch.
    int currentStep() const { return m_step; }
    QString watchedChart() const;
    QString text() const; // what the panel says now, for tests
    // "Stop the cluster when the lesson ends" (on by default): a finished lesson's processes go.
    bool stopsClusterAtEnd() const;

signals:
    void startRequested(const statelab::Lesson& lesson);
    void nextRequested();
    void exportRequested();
    void watchChanged(const QString& chartKey); // empty: no lesson running

private:
    void render();

    std::vector<Lesson> m_lessons;
    QListWidget* m_list;
    QTextBrowser* m_text;
    QLabel* m_state;
    QPushButton* m_start;
    QPushButton* m_next;
    QPushButton* m_export;
    QCheckBox* m_stopAtEnd;
    std::optional<Lesson> m_running;
    int m_step = -1;
    bool m_held = false;
    bool m_finished = false;
    QString m_result;
    bool m_resultHeld = false;
};

} // namespace statelab::gui
