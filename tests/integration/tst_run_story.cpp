// The run story (Engine::play, Engine::recorded): one run clock for events, the timeline and
// the recording; what was done, saved and played again, happens at the same offsets; a hold
// stops the story's clock until proceed(); an action that fails does not end the story.
#include "engine.hpp"
#include "engine_lab.hpp"
#include "lab_files.hpp"

#include <QtTest>

#include <cmath>
#include <thread>

using namespace statelab;
using namespace statelab::test;

namespace {

// The run's events after the snapshot numbered `from`, in order.
std::vector<Event> events_since(const SnapshotLog& log, std::size_t from) {
    std::vector<Event> out;
    const auto all = log.all();
    for (std::size_t i = from; i < all.size(); ++i)
        for (const Event& e : all[i].events) out.push_back(e);
    return out;
}

// Offsets of the events `what target` from the traffic's start, in order.
std::vector<double> offsets(const std::vector<Event>& events, EventIs what, const std::string& target) {
    std::optional<double> start;
    std::vector<double> out;
    for (const Event& e : events) {
        if (e.kind == EventKind::traffic_start && !start) start = e.t_s;
        else if (start && what(e) && e.target == target) out.push_back(e.t_s - *start);
    }
    return out;
}

void pause_for(std::chrono::milliseconds ms) { QTest::qWait(static_cast<int>(ms.count())); }

} // namespace

class TstRunStory : public QObject {
    Q_OBJECT
private slots:
    void aSavedRunReplaysAtTheOffsetsItWasRecordedAt();
    void aHoldStopsTheStoryClockUntilProceed();
    void aFailedActionIsLoggedAndTheStoryGoesOn();
};

void TstRunStory::aSavedRunReplaysAtTheOffsetsItWasRecordedAt() {
    Lab lab(Mode::sticky);
    // Driven by hand, as the window does: each command on the caller's thread.
    lab.engine->start_traffic(closed_loop(40));
    pause_for(600ms);
    lab.engine->act(Action::pause, "node-1");
    pause_for(500ms);
    TrafficSettings more = closed_loop(60);
    lab.engine->set_traffic(more);
    pause_for(400ms);
    lab.engine->act(Action::resume, "node-1");
    pause_for(300ms);
    lab.engine->act(Action::kill, "node-3");
    pause_for(700ms);
    Scenario base;
    base.name = "recorded by hand";
    static_cast<ClusterSettings&>(base) = ClusterSettings{.mode = Mode::sticky, .nodes = 3};
    const Scenario recorded = lab.engine->recorded(base);
    QCOMPARE(recorded.traffic.users, 40);
    QCOMPARE(static_cast<int>(recorded.timeline.size()), 4);
    QCOMPARE(recorded.timeline[0].action, Action::pause);
    QCOMPARE(recorded.timeline[1].action, Action::set);
    QCOMPARE(recorded.timeline[1].users.value_or(0), 60);
    QCOMPARE(recorded.timeline[3].target, std::string("node-3"));
    QCOMPARE(recorded.duration_s, 3.0); // 2.5 s of traffic, counted up
    // The recording and the events read one clock: each at_s is its event's offset from the
    // traffic's start (within the few ms an action takes to carry out).
    const auto by_hand = events_since(lab.log, 0);
    const double kill_at = offsets(by_hand, Action::kill, "node-3").at(0);
    qInfo("recorded: pause at %.3f s, set at %.3f s, resume at %.3f s, kill at %.3f s (its event at %.3f s)",
          recorded.timeline[0].at_s, recorded.timeline[1].at_s, recorded.timeline[2].at_s, recorded.timeline[3].at_s,
          kill_at);
    // 50 ms: under ThreadSanitizer a kill took 31 ms to carry out.
    QVERIFY(std::fabs(recorded.timeline[3].at_s - kill_at) < 0.05);
    QVERIFY(std::fabs(recorded.timeline[0].at_s - offsets(by_hand, Action::pause, "node-1").at(0)) < 0.05);

    // Saved as a file and played again by the engine: the same offsets.
    const ScenarioResult parsed = parse_scenario(scenario_to_json(recorded));
    QVERIFY2(parsed.ok(), parsed.error.c_str());
    lab.engine->launch(*parsed.scenario);
    const std::size_t from = lab.log.count();
    const auto started = std::chrono::steady_clock::now();
    lab.engine->play(*parsed.scenario);
    QVERIFY(run_until([&] { return lab.engine->story().finished; }, 10s));
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    QVERIFY(lab.log.wait_past(lab.log.count(), 2));
    const Scenario replayed = lab.engine->recorded(base);
    QCOMPARE(static_cast<int>(replayed.timeline.size()), 4);
    for (std::size_t i = 0; i < 4; ++i) {
        qInfo("action %zu: recorded at %.3f s, replayed at %.3f s", i, recorded.timeline[i].at_s,
              replayed.timeline[i].at_s);
        QCOMPARE(replayed.timeline[i].action, recorded.timeline[i].action);
        QVERIFY(std::fabs(replayed.timeline[i].at_s - recorded.timeline[i].at_s) < 0.05);
    }
    const auto played = events_since(lab.log, from);
    QVERIFY(std::fabs(offsets(played, Action::kill, "node-3").at(0) - recorded.timeline[3].at_s) < 0.05);
    const auto stops = offsets(played, EventKind::traffic_stop, "traffic");
    QCOMPARE(static_cast<int>(stops.size()), 1); // the story's end
    qInfo("the story ended (traffic stopped) at %.3f s; duration %.1f s", stops[0], recorded.duration_s);
    QVERIFY(std::fabs(stops[0] - recorded.duration_s) < 0.05);
    QVERIFY(took >= recorded.duration_s - 0.01);
    // The set was carried out: 60 users, as recorded.
    QCOMPARE(lab.engine->traffic().users, 60);
}

void TstRunStory::aHoldStopsTheStoryClockUntilProceed() {
    Lab lab(Mode::sticky);
    Scenario scenario;
    static_cast<ClusterSettings&>(scenario) = ClusterSettings{.mode = Mode::sticky, .nodes = 3};
    scenario.traffic = closed_loop(30);
    scenario.duration_s = 1.5;
    TimelineAction kill;
    kill.at_s = 0.5;
    kill.action = Action::kill;
    kill.target = "node-2";
    scenario.timeline = {kill};
    lab.engine->play(scenario, {0.4});
    pause_for(1200ms); // well past the kill's at_s, were the clock running
    StoryStatus held = lab.engine->story();
    QVERIFY(held.held);
    QVERIFY(held.playing);
    QCOMPARE(held.done, std::size_t(0));
    QVERIFY(std::fabs(held.story_s - 0.4) < 0.02);
    QCOMPARE(status_of(*lab.engine, "node-2")->state, ProcessState::up);
    QVERIFY(lab.engine->active_users() > 0); // the traffic goes on while the story waits
    const auto released = std::chrono::steady_clock::now();
    lab.engine->proceed();
    QVERIFY(run_until([&] { return lab.engine->story().done == 1; }, 3s));
    const double kill_after = std::chrono::duration<double>(std::chrono::steady_clock::now() - released).count();
    QVERIFY2(kill_after < 0.3, "the kill comes 0.1 s of story time after the hold");
    QCOMPARE(status_of(*lab.engine, "node-2")->state, ProcessState::down);
    QVERIFY(run_until([&] { return lab.engine->story().finished; }, 5s));
    QCOMPARE(lab.engine->story().holds_passed, std::size_t(1));
    QCOMPARE(lab.engine->active_users(), 0);
}

void TstRunStory::aFailedActionIsLoggedAndTheStoryGoesOn() {
    Lab lab(Mode::sticky);
    Scenario scenario;
    scenario.traffic = closed_loop(10);
    scenario.duration_s = 1;
    TimelineAction wrong, right;
    wrong.at_s = 0.2, wrong.action = Action::kill, wrong.target = "node-9";
    right.at_s = 0.4, right.action = Action::kill, right.target = "node-2";
    scenario.timeline = {wrong, right};
    const std::size_t from = lab.log.count();
    lab.engine->play(scenario);
    QVERIFY(run_until([&] { return lab.engine->story().finished; }, 5s));
    QVERIFY(lab.log.wait_past(lab.log.count(), 1));
    bool failure_logged = false;
    for (const Event& e : events_since(lab.log, from))
        if (e.target == "node-9" && e.detail.starts_with("failed: ")) failure_logged = true;
    QVERIFY(failure_logged);
    QCOMPARE(status_of(*lab.engine, "node-2")->state, ProcessState::down);
    QCOMPARE(lab.engine->story().done, std::size_t(2));
}

QTEST_GUILESS_MAIN(TstRunStory)
#include "tst_run_story.moc"
