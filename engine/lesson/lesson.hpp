#pragma once
// A lesson (DESIGN.md, resources/lessons/): a short data file with the text that explains a
// concept, the scenario it runs, its steps (each at its time, or at the user's "Next"), the
// chart to watch at each step, and the figure it predicts. The window, `statelab-cli lesson`
// and the tests read lessons through this one loader.
#include "model/lesson.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace statelab {

struct LessonResult {
    std::optional<Lesson> lesson;
    std::string error; // one line naming the file and the field
    std::filesystem::path file;
    explicit operator bool() const { return lesson.has_value(); }
};

LessonResult load_lesson_file(const std::filesystem::path& file);

// Where the lessons are: $STATELAB_LESSONS_DIR, then <exe>/../share/statelab/lessons (installed),
// then the source tree's resources/lessons (a build tree). Empty when none is found.
std::filesystem::path lessons_dir(const std::filesystem::path& exe_dir);
// Every lesson file of `dir`, in the order the numbers in their names give.
std::vector<std::filesystem::path> lesson_files(const std::filesystem::path& dir);
// ... each loaded, or with the line that says why it cannot be: the window lists such a lesson
// greyed out, statelab-cli says so; neither gives up on the others.
std::vector<LessonResult> load_lessons(const std::filesystem::path& dir);

} // namespace statelab
