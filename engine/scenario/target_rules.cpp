#include "scenario/target_rules.hpp"

#include "scenario/json_fields.hpp"

#include <charconv>

namespace statelab {

using namespace fields;

namespace {

const Keys target_keys{"url", "served_by"};
// What a command can stand for: a node action on one named part of the system. `add` makes a
// node the lab names itself, and `set` changes the traffic: neither maps to a command.
constexpr Action command_actions[] = {Action::kill,    Action::stop,   Action::pause, Action::resume,
                                      Action::restart, Action::remove, Action::run};

// http://HOST[:PORT][/]: the users' requests carry their own paths.
void read_url(const json& value, Target& target) {
    const std::string url = read_string(value, "target.url", 2048);
    target.url = url;
    if (url.starts_with("https://"))
        fail("target.url", "https is not supported: point the users at the plain-HTTP port behind your TLS terminator");
    if (!url.starts_with("http://")) fail("target.url", "must look like http://HOST:PORT, got " + shown(value));
    std::string rest = url.substr(7);
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    if (rest.find('/') != std::string::npos)
        fail("target.url", "must be http://HOST:PORT without a path; the journey's steps carry the paths");
    const auto colon = rest.rfind(':');
    target.host = rest.substr(0, colon);
    if (colon != std::string::npos) {
        const std::string port = rest.substr(colon + 1);
        unsigned number = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
        if (ec != std::errc() || end != port.data() + port.size() || number == 0 || number > 65535)
            fail("target.url", "the port must be 1 to 65535, got '" + port + "'");
        target.port = static_cast<std::uint16_t>(number);
    }
    if (target.host.empty() || target.host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != std::string::npos)
        fail("target.url", "the host must be a name or an IPv4 address, got '" + target.host + "'");
}

} // namespace

Target read_target(const json& value, const json* actions) {
    if (!value.is_object()) fail("target", "must be an object { \"url\": \"http://HOST:PORT\" }, got " + shown(value));
    check_keys(value, "target", target_keys);
    Target target;
    read_url(require(value, "target", "url", "http://HOST:PORT"), target);
    if (auto* v = optional_member(value, "served_by")) {
        if (v->is_string() && v->get<std::string>() == "none") {
            target.served_by.name.clear(); // the app does not say: per-server figures are not known
        } else {
            if (!v->is_object() || v->size() != 1 || (!v->contains("header") && !v->contains("cookie")))
                fail("target.served_by", "must be {\"header\": \"X-Served-By\"}, {\"cookie\": \"SERVERID\"} or \"none\", got " + shown(*v));
            const bool header = v->contains("header");
            target.served_by.from = header ? ValueSource::From::header : ValueSource::From::cookie;
            target.served_by.name = read_string(header ? v->at("header") : v->at("cookie"),
                                                header ? "target.served_by.header" : "target.served_by.cookie", 256);
        }
    }
    if (!actions) return target;
    if (!actions->is_object()) fail("actions", "must map names to { \"kill\": \"command\" }, got " + shown(*actions));
    for (const auto& [name, verbs] : actions->items()) {
        const std::string at = child("actions", name);
        if (name.empty() || name.size() > 64 || name.find_first_of(" \t\r\n") != std::string::npos)
            fail(at, "must be a short name without spaces (the name timeline entries use as their target)");
        if (!verbs.is_object() || verbs.empty()) fail(at, "must map actions to commands, as { \"kill\": \"docker kill web-2\" }, got " + shown(verbs));
        for (const auto& [verb, command] : verbs.items()) {
            if (verb == "served_as") { // the name its server answers with, when it is another
                target.served_as[name] = read_string(command, child(at, verb), 64);
                continue;
            }
            const auto action = parse_action(verb);
            if (!action || std::find(std::begin(command_actions), std::end(command_actions), *action) == std::end(command_actions))
                fail(child(at, verb), "a command can stand for kill, stop, pause, resume, restart, remove or run (any "
                                      "command at its time), or \"served_as\" the name its server answers with, not '" +
                                          verb + "'");
            target.actions[name][*action] = read_string(command, child(at, verb), 4096);
        }
    }
    return target;
}

void check_target_action(const TimelineAction& action, const std::string& path, const Target& target) {
    const std::string verb = action_name(action.action);
    if (action.action == Action::add)
        fail(path + ".action", "'add' needs a cluster the lab runs; against a target, map a command to a named part instead");
    const auto named = target.actions.find(action.target);
    if (named == target.actions.end()) {
        std::string known;
        for (const auto& [name, verbs] : target.actions) known += (known.empty() ? "" : ", ") + name;
        fail(path + ".target", "'" + action.target + "' has no commands in \"actions\"" +
                                   (known.empty() ? std::string(" (there are none)") : " (it has: " + known + ")"));
    }
    if (!named->second.count(action.action))
        fail(path + ".action", "\"actions\"." + action.target + " has no command for '" + verb + "'");
}

} // namespace statelab
