#include "lab_files.hpp"

#include <ostream>

namespace statelab {

namespace {

// Exit code for bad input, the same as for bad options (DESIGN.md, "Command lines").
constexpr int exit_bad_input = 2;

const char* plural(std::size_t count) {
    return count == 1 ? "" : "s";
}

} // namespace

std::string builtin_journey_note(const Scenario& s) {
    if (!s.target || s.traffic.declared) return {};
    return "the built-in " + s.traffic.journey + " journey expects the lab's shop (POST /login, GET /cart, POST " +
           "/cart/items) at " + s.target->url + "; declare your own app's steps in traffic.journey";
}

int validate_command(const std::filesystem::path& file, std::ostream& out, std::ostream& err) {
    const ScenarioResult result = load_scenario_file(file);
    if (!result) {
        err << "statelab-cli: " << result.error << '\n';
        return exit_bad_input;
    }
    const Scenario& s = *result.scenario;
    const auto actions = s.timeline.size();
    out << "ok: " << s.name << " (";
    if (s.target) out << "target " << s.target->url << ", " << (s.traffic.declared ? "declared journey" : "shop journey");
    else out << mode_name(s.mode) << ", " << s.nodes << " node" << plural(static_cast<std::size_t>(s.nodes));
    out << ", " << s.duration_s << " s, " << actions
        << " timeline action" << plural(actions) << ")\n";
    if (const std::string note = builtin_journey_note(s); !note.empty()) out << "note: " << note << '\n';
    // A scenario with commands is a program: every command it can run, as it would run it.
    if (s.target)
        for (const TargetCommand& c : target_commands(*s.target))
            out << "runs: " << action_name(c.verb) << " " << c.target << ": " << c.command << '\n';
    return 0;
}

} // namespace statelab
