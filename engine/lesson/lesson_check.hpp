#pragma once
// A lesson's prediction held against what the run measured (its summary.json).
#include "lesson/lesson.hpp"

#include <string>
#include <vector>

namespace statelab {

struct LessonVerdict {
    bool held = false;
    std::string measured;            // the lesson's "measured" sentence with the run's figures
    std::vector<std::string> misses; // one line per check that did not hold
    // "Predicted: …. Measured: …." and whether it held: the lesson's one-paragraph result.
    std::string paragraph(const Lesson& lesson) const;
};

LessonVerdict check_lesson(const Lesson& lesson, const std::string& summary_json);
// lesson.txt, as the window's "Export for slides" and statelab-cli lesson write it: the title
// and the verdict's paragraph.
std::string lesson_text(const Lesson& lesson, const LessonVerdict& verdict);

} // namespace statelab
