#pragma once
// A system somebody else runs, driven instead of a cluster the lab launches (scenario "target").
#include "model/action.hpp"
#include "model/declared_journey.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace statelab {

// The lab's own servers say who they are in this header (DESIGN.md, the HTTP contract).
inline const ValueSource lab_served_by{ValueSource::From::header, "X-Served-By"};

struct Target {
    std::string url;  // as written: "http://HOST:PORT"
    std::string host; // HOST (a name or an address), also sent as the Host header
    std::uint16_t port = 80;
    // Which server answered: this header's or cookie's value (default the lab's X-Served-By).
    // Without it the per-server figures are "not known".
    ValueSource served_by = lab_served_by;
    // Node actions as commands: target name -> action -> shell command line.
    std::map<std::string, std::map<Action, std::string>> actions;
    // An actions name -> the name that server answers with (`"served_as": "app-a"`), where the two
    // differ: a kill of "node-2" whose server says "app-a" loses app-a's sessions.
    std::map<std::string, std::string> served_as;
    std::string served_name(const std::string& action_name) const {
        const auto it = served_as.find(action_name);
        return it == served_as.end() ? action_name : it->second;
    }
};

// Where a target was found (resolve_target, target_address.hpp): what the traffic connects to.
struct TargetAddress {
    std::string address; // the first address the host resolved to
    std::uint16_t port = 0;
    bool loopback = true;
};

// One shell command a scenario would run: its verb, the name it acts on, the command line.
struct TargetCommand {
    Action verb;
    std::string target;
    std::string command;
};

// Every command the target's "actions" hold, in file order of names, each verb once: what the
// user must see and consent to before any runs (statelab-cli run --allow-commands, the window's
// dialog, validate's listing).
inline std::vector<TargetCommand> target_commands(const Target& target) {
    std::vector<TargetCommand> out;
    for (const auto& [name, verbs] : target.actions)
        for (const auto& [verb, command] : verbs) out.push_back({verb, name, command});
    return out;
}

} // namespace statelab
