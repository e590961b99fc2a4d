#include "lab_files.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

namespace statelab {

namespace {

using nlohmann::json;

// A figure of summary.json by its dotted path; "events.<action>" counts such events, and
// "lost_by.<action> <target>" adds up the sessions those events lost.
std::optional<double> figure(const json& summary, const std::string& path) {
    if (path.starts_with("lost_by.")) {
        const std::string what = path.substr(8);
        double lost = 0;
        for (const json& e : summary.value("events", json::array()))
            if (e.value("action", "") + " " + e.value("target", "") == what) lost += e.value("lost", 0.0);
        return lost;
    }
    if (path.starts_with("events.")) {
        const std::string action = path.substr(7);
        double count = 0;
        for (const json& e : summary.value("events", json::array())) count += e.value("action", "") == action;
        return count;
    }
    const json* at = &summary;
    std::size_t from = 0;
    while (from <= path.size()) {
        const std::size_t dot = std::min(path.find('.', from), path.size());
        const std::string key = path.substr(from, dot - from);
        if (!at->is_object() || !at->contains(key)) return std::nullopt;
        at = &(*at)[key];
        from = dot + 1;
    }
    if (!at->is_number()) return std::nullopt;
    return at->get<double>();
}

std::string shown(double value) {
    char text[48];
    if (std::fabs(value - std::round(value)) < 1e-9 || std::fabs(value) >= 100) std::snprintf(text, sizeof text, "%.0f", value);
    else std::snprintf(text, sizeof text, "%.2f", value);
    return text;
}

// "{sessions.lost} of {users}": each {path} becomes the figure, {path%} a percentage.
std::string fill(const std::string& sentence, const json& summary, int users) {
    std::string out;
    for (std::size_t i = 0; i < sentence.size();) {
        const std::size_t close = sentence[i] == '{' ? sentence.find('}', i) : std::string::npos;
        if (close == std::string::npos) {
            out += sentence[i++];
            continue;
        }
        std::string key = sentence.substr(i + 1, close - i - 1);
        const bool percent = key.ends_with('%');
        if (percent) key.pop_back();
        const auto value = key == "users" ? std::optional<double>(users) : figure(summary, key);
        out += !value ? "?" : percent ? shown(std::round(*value * 100)) + "%" : shown(*value);
        i = close + 1;
    }
    return out;
}

} // namespace

LessonVerdict check_lesson(const Lesson& lesson, const std::string& summary_json) {
    LessonVerdict verdict;
    const json summary = json::parse(summary_json, nullptr, false);
    const int users = std::max(1, lesson.scenario.traffic.users);
    verdict.measured = fill(lesson.measured, summary, users);
    for (const LessonCheck& check : lesson.checks) {
        const auto raw = figure(summary, check.figure);
        if (!raw) {
            verdict.misses.push_back(check.figure + " is not in the run's summary");
            continue;
        }
        const double value = check.per_user ? *raw / users : *raw;
        const bool low = check.min && value < *check.min, high = check.max && value > *check.max;
        if (!low && !high) continue;
        std::string range = check.min && check.max ? shown(*check.min) + " to " + shown(*check.max)
                            : check.min           ? "at least " + shown(*check.min)
                                                  : "at most " + shown(*check.max);
        verdict.misses.push_back(check.figure + (check.per_user ? " per user" : "") + " was " + shown(value) +
                                 ", predicted " + range);
    }
    verdict.held = verdict.misses.empty();
    return verdict;
}

std::string LessonVerdict::paragraph(const Lesson& lesson) const {
    std::string out = "Predicted: " + lesson.prediction + " Measured: " + measured;
    if (held) return out + " The prediction held.";
    out += " The prediction did not hold:";
    for (std::size_t i = 0; i < misses.size(); ++i) out += (i ? "; " : " ") + misses[i];
    return out + ".";
}

std::string lesson_text(const Lesson& lesson, const LessonVerdict& verdict) {
    return lesson.title + "\n\n" + verdict.paragraph(lesson) + "\n";
}

} // namespace statelab
