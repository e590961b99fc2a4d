#include "cli/lesson_command.hpp"

#include "cli/cli_options.hpp"
#include "cli/headless_run.hpp"
#include "lab_files.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>

namespace statelab {

namespace {

// The lessons that load; each one that does not is said in a line (as the window greys it out).
std::vector<Lesson> all_lessons() {
    const auto dir = lessons_dir(executable_dir());
    if (dir.empty())
        cli_usage_error("no lessons found (looked in $STATELAB_LESSONS_DIR, ../share/statelab/lessons next to "
                        "statelab-cli, and the source tree's resources/lessons)");
    std::vector<Lesson> lessons;
    for (LessonResult& loaded : load_lessons(dir)) {
        if (loaded) lessons.push_back(std::move(*loaded.lesson));
        else std::cerr << "statelab-cli: cannot be read: " << loaded.error << "\n";
    }
    return lessons;
}

} // namespace

int lesson_command(const std::vector<std::string>& args) {
    std::string name, out_dir;
    unsigned threads = 0;
    bool force = false;
    po::options_description options("lesson options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("list", "print every lesson, one a line: its name, then its title")
        ("name", po::value(&name), "the lesson to run (see --list)")
        ("out", po::value(&out_dir), "directory for summary.json, timeseries.csv and lesson.txt")
        ("threads", po::value(&threads)->default_value(0), "load generator threads (0 = one per core)")
        ("force", po::bool_switch(&force), force_help);
    po::positional_options_description positional;
    positional.add("name", 1);
    po::variables_map vm;
    parse_subcommand(args, options, vm,
                     "usage: statelab-cli lesson --list\n"
                     "       statelab-cli lesson NAME --out DIR\n"
                     "Runs a guided lesson headless: its scenario, its steps at their times, then its prediction\n"
                     "held against what was measured (DIR/lesson.txt). Exit 0 when the prediction held, 1 when not.",
                     &positional);
    const std::vector<Lesson> lessons = all_lessons();
    if (vm.count("list")) {
        for (const Lesson& lesson : lessons) std::printf("%-26s %s\n", lesson.name.c_str(), lesson.title.c_str());
        return 0;
    }
    if (name.empty()) cli_usage_error("lesson: name a lesson (statelab-cli lesson --list) or pass --list");
    if (out_dir.empty()) cli_usage_error("lesson: --out DIR is required to run a lesson");
    const Lesson* lesson = nullptr;
    for (const Lesson& l : lessons)
        if (l.name == name) lesson = &l;
    if (!lesson) cli_usage_error("lesson: no lesson named '" + name + "' (statelab-cli lesson --list)");

    prepare_out_dir(out_dir, {"summary.json", "timeseries.csv", "lesson.txt"}, force);
    std::cerr << "statelab-cli: lesson " << lesson->name << ": " << lesson->title << "\n";
    const HeadlessResult run = run_headless(lesson->scenario, out_dir, {.threads = threads});
    if (run.exit_code != 0) return run.exit_code;
    const LessonVerdict verdict = check_lesson(*lesson, run.summary_json);
    const std::string paragraph = verdict.paragraph(*lesson);
    std::ofstream(std::filesystem::path(out_dir) / "lesson.txt") << lesson_text(*lesson, verdict);
    std::printf("%s\n", paragraph.c_str());
    return verdict.held ? 0 : 1;
}

} // namespace statelab
