#pragma once
#include <cstddef>

namespace statelab {

// Where the run's story stands (Engine::play): carried by every snapshot, so the window and a
// lesson follow the timeline without a clock of their own.
struct StoryStatus {
    bool playing = false;  // a timeline is being played (false before play and once finished)
    bool held = false;     // ... and waits at a hold for Engine::proceed() (a lesson's "Next")
    bool finished = false; // it reached its duration_s; the engine stopped the traffic
    std::size_t done = 0;  // timeline actions carried out so far
    std::size_t holds_passed = 0; // holds released so far
    double story_s = 0;    // seconds on the story's clock (at_s; it stands still while held)
};

} // namespace statelab
