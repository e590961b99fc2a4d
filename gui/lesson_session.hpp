#pragma once
// The lesson in play and the last one that finished. Start lesson queues a lesson; the launch
// that follows makes it the run's; it ends with its run (kept: its verdict; cut short; or
// another run). The finished one stays, as it ended, for Export for slides, also after later
// runs in the window.
#include "export/run_export.hpp"
#include "lab_files.hpp"
#include "model/lesson.hpp"

#include <QCoreApplication>

#include <optional>
#include <string>
#include <vector>

namespace statelab::gui {

class LessonSession {
    Q_DECLARE_TR_FUNCTIONS(LessonSession)
public:
    void queue(const Lesson& lesson); // its verdict makes way for this lesson's steps
    // At a launch: the queued lesson becomes the run's. True if a lesson in play is over
    // because this run is not one.
    bool launch();
    bool end(); // traffic after a kept run: no lesson plays; true if one did
    const Lesson* playing() const { return m_lesson ? &*m_lesson : nullptr; }
    std::vector<double> holds() const; // where the engine waits for Next

    // The lesson's run is kept: its verdict on the measured figures, the run kept as it ended.
    LessonVerdict finish(RunExport run, std::string summaryJson);
    // The finished lesson for slides, into `dir`: the charts it watched (PNG + SVG) and
    // lesson.txt (its title and one-paragraph result).
    bool exportForSlides(const QString& dir, QString* error) const;

private:
    struct Finished {
        Lesson lesson;
        RunExport run;
        std::string summary_json;
    };
    std::optional<Lesson> m_lesson;  // the lesson this run plays
    std::optional<Lesson> m_pending; // ... the next launch is this lesson's
    std::optional<Finished> m_finished;
};

} // namespace statelab::gui
