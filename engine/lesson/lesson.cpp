#include "lab_files.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

namespace statelab {

namespace {

using nlohmann::json;

// Thrown while reading; becomes the one error line.
struct LessonError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const std::set<std::string>& watchable_charts() {
    // The window's charts by their keys (the names of their exported files).
    static const std::set<std::string> charts{"requests", "sessions",      "lost-so-far",  "session-flow",
                                              "failures", "latency", "session-state", "local-cache"};
    return charts;
}

std::string text_field(const json& object, const std::string& path, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string() || it->get<std::string>().empty())
        throw LessonError("field '" + path + key + "' must be a non-empty string");
    return it->get<std::string>();
}

std::string name_from_file(const std::filesystem::path& file) {
    // "03-store-dies.json": the number orders the lessons; the rest is the name.
    std::string stem = file.stem().string();
    const auto dash = stem.find('-');
    if (dash != std::string::npos && dash > 0 && std::all_of(stem.begin(), stem.begin() + static_cast<long>(dash), ::isdigit))
        stem = stem.substr(dash + 1);
    return stem;
}

LessonStep read_step(const json& step, const std::string& path, json& timeline) {
    if (!step.is_object()) throw LessonError("field '" + path + "' must be an object");
    LessonStep out;
    if (!step.contains("at_s") || !step["at_s"].is_number() || step["at_s"].get<double>() < 0)
        throw LessonError("field '" + path + ".at_s' must be a number of seconds >= 0");
    out.at_s = step["at_s"].get<double>();
    out.waits_for_next = step.value("next", false);
    out.text = text_field(step, path + ".", "text");
    out.watch = step.value("watch", std::string("requests"));
    if (!watchable_charts().contains(out.watch))
        throw LessonError("field '" + path + ".watch': unknown chart '" + out.watch +
                          "' (requests, sessions, lost-so-far, session-flow, failures, latency, session-state, local-cache)");
    // The step's actions join the scenario's timeline at the step's time; the scenario parser
    // checks them like any other timeline entry.
    for (const json& action : step.value("do", json::array())) {
        json entry = action;
        entry["at_s"] = out.at_s;
        timeline.push_back(entry);
    }
    return out;
}

LessonCheck read_check(const json& check, const std::string& path) {
    if (!check.is_object()) throw LessonError("field '" + path + "' must be an object");
    LessonCheck out;
    out.figure = text_field(check, path + ".", "figure");
    out.per_user = check.value("per_user", false);
    if (check.contains("min")) out.min = check["min"].get<double>();
    if (check.contains("max")) out.max = check["max"].get<double>();
    if (!out.min && !out.max) throw LessonError("field '" + path + "' needs a min or a max");
    return out;
}

Lesson read_lesson(const json& root, const std::filesystem::path& file) {
    if (!root.is_object()) throw LessonError("a lesson is a JSON object");
    Lesson lesson;
    lesson.name = name_from_file(file);
    lesson.title = text_field(root, "", "title");
    lesson.why = text_field(root, "", "why");
    if (!root.contains("scenario") || !root["scenario"].is_object()) throw LessonError("field 'scenario' must be an object");
    json scenario = root["scenario"];
    if (scenario.contains("timeline")) throw LessonError("field 'scenario.timeline': a lesson's actions go in its steps");
    // A lesson is opened with a click: it drives the lab's own cluster only, never somebody
    // else's system and never a command.
    for (const char* key : {"target", "actions"})
        if (scenario.contains(key) || root.contains(key))
            throw LessonError(std::string("field '") + (scenario.contains(key) ? "scenario." : "") + key +
                              "': a lesson drives the lab's own cluster; it never reaches another system or runs commands");
    json timeline = json::array();
    const json& steps = root.value("steps", json::array());
    if (!steps.is_array() || steps.empty()) throw LessonError("field 'steps' must be a non-empty array");
    for (std::size_t i = 0; i < steps.size(); ++i)
        lesson.steps.push_back(read_step(steps[i], "steps[" + std::to_string(i) + "]", timeline));
    if (!std::is_sorted(lesson.steps.begin(), lesson.steps.end(),
                        [](const LessonStep& a, const LessonStep& b) { return a.at_s < b.at_s; }))
        throw LessonError("field 'steps': the steps must be in the order of their at_s");
    // Said of the step the author wrote, before the parser says it of a timeline entry.
    const double duration = scenario.value("duration_s", json(20)).is_number() ? scenario.value("duration_s", 20.0) : 20.0;
    for (std::size_t i = 0; i < lesson.steps.size(); ++i)
        if (lesson.steps[i].at_s > duration)
            throw LessonError("field 'steps[" + std::to_string(i) + "].at_s': the step begins after the scenario's duration_s");
    scenario["timeline"] = timeline;
    if (!scenario.contains("name")) scenario["name"] = "lesson: " + lesson.title;
    const ScenarioResult parsed = parse_scenario(scenario.dump(), "scenario");
    if (!parsed) throw LessonError(parsed.error);
    lesson.scenario = *parsed.scenario;
    if (!root.contains("prediction") || !root["prediction"].is_object()) throw LessonError("field 'prediction' must be an object");
    const json& prediction = root["prediction"];
    lesson.prediction = text_field(prediction, "prediction.", "text");
    lesson.measured = text_field(prediction, "prediction.", "measured");
    const json& checks = prediction.value("checks", json::array());
    if (!checks.is_array() || checks.empty()) throw LessonError("field 'prediction.checks' must be a non-empty array");
    for (std::size_t i = 0; i < checks.size(); ++i)
        lesson.checks.push_back(read_check(checks[i], "prediction.checks[" + std::to_string(i) + "]"));
    return lesson;
}

constexpr std::size_t max_lesson_bytes = 1024 * 1024; // as a scenario: a lesson is a few KB
constexpr int max_lesson_nesting = 64;                // a lesson is a handful of levels deep

// How deep [ and { nest, outside strings; stops counting past `limit`. A 400,000-deep file once
// overflowed the stack (reading it, then writing its scenario back out).
bool nested_deeper_than(std::string_view text, int limit) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}
} // namespace

namespace {
LessonResult read_lesson_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {std::nullopt, file.string() + ": cannot read the file"};
    std::string text(max_lesson_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_lesson_bytes) return {std::nullopt, file.string() + ": not a lesson file: far too large"};
    if (nested_deeper_than(text, max_lesson_nesting))
        return {std::nullopt, file.string() + ": not a lesson file: nested more than " + std::to_string(max_lesson_nesting) +
                                  " levels deep"};
    try {
        return {read_lesson(json::parse(text), file), {}};
    } catch (const LessonError& e) {
        return {std::nullopt, file.string() + ": " + e.what()};
    } catch (const json::exception& e) {
        return {std::nullopt, file.string() + ": " + e.what()};
    }
}
} // namespace

LessonResult load_lesson_file(const std::filesystem::path& file) {
    LessonResult result = read_lesson_file(file);
    result.file = file;
    return result;
}

std::filesystem::path lessons_dir(const std::filesystem::path& exe_dir) {
    std::error_code ec;
    if (const char* env = std::getenv("STATELAB_LESSONS_DIR"); env && *env) return env;
    if (const auto installed = exe_dir / ".." / "share" / "statelab" / "lessons"; std::filesystem::is_directory(installed, ec))
        return std::filesystem::weakly_canonical(installed, ec);
#ifdef STATELAB_SOURCE_LESSONS
    if (std::filesystem::is_directory(STATELAB_SOURCE_LESSONS, ec)) return STATELAB_SOURCE_LESSONS;
#endif
    return {};
}

std::vector<std::filesystem::path> lesson_files(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end()); // "01-…", "02-…": the numbers give the order
    return files;
}

std::vector<LessonResult> load_lessons(const std::filesystem::path& dir) {
    std::vector<LessonResult> lessons;
    for (const auto& file : lesson_files(dir)) lessons.push_back(load_lesson_file(file));
    return lessons;
}

} // namespace statelab
