#pragma once
// A lesson (DESIGN.md, resources/lessons/) as read from its file (load_lesson_file):
// the text that explains a concept, the scenario it runs, its steps (each at its time, or at the
// user's "Next"), the chart to watch at each step, and the figure it predicts.
#include "model/scenario.hpp"

#include <optional>
#include <string>
#include <vector>

namespace statelab {

struct LessonStep {
    double at_s = 0;         // story time (from the traffic's start) the step begins
    bool waits_for_next = false; // in the window, it begins at the user's "Next", not before at_s
    std::string text;
    std::string watch;       // the chart to highlight, by its key: requests, lost-so-far, latency, …
};

// One figure of summary.json held against a range: "sessions.lost", "load.imbalance_max",
// "events.failover" (how many such events), "lost_by.kill node-2" (the sessions that event
// lost, as the event log attributes them). `per_user`: divided by the scenario's users.
struct LessonCheck {
    std::string figure;
    bool per_user = false;
    std::optional<double> min, max;
};

struct Lesson {
    std::string name;  // from the file name: 03-store-dies.json -> store-dies
    std::string title;
    std::string why;   // two or three sentences
    Scenario scenario; // its timeline made of the steps' actions, at their at_s
    std::vector<LessonStep> steps;
    std::string prediction;            // "the killed node's users lose their carts (about a third)"
    std::vector<LessonCheck> checks;
    std::string measured;              // "{sessions.lost} of {users} users lost their carts"

    // Story times where the window holds for "Next" (Engine::play's hold_at_s).
    std::vector<double> holds() const {
        std::vector<double> out;
        for (const LessonStep& step : steps)
            if (step.waits_for_next) out.push_back(step.at_s);
        return out;
    }
};

} // namespace statelab
