#include "scenario/json_fields.hpp"
#include "scenario/target_rules.hpp"

#include <algorithm>
#include <set>
#include <string_view>

namespace statelab {

using namespace fields;

namespace {

const Keys journey_keys{"steps", "lost_status"};
const Keys step_keys{"method", "path", "body", "headers", "repeat", "think_ms", "expect", "capture", "write", "check", "clear"};
const Keys methods{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};
const Keys source_keys{"json", "header", "cookie"};
const Keys check_keys_allowed{"field", "holds", "exact", "equals"};
constexpr IntRange status_range{100, 599};
constexpr IntRange repeat_range{0, 1000};
constexpr IntRange think_range{0, 3'600'000};
constexpr std::size_t max_steps = 64;

std::vector<int> read_statuses(const json& value, const std::string& path) {
    if (!value.is_array()) return {read_int(value, path, status_range)};
    if (value.empty()) fail(path, "must list at least one status");
    std::vector<int> out;
    for (std::size_t i = 0; i < value.size(); ++i) out.push_back(read_int(value[i], path + "[" + std::to_string(i) + "]", status_range));
    return out;
}

ValueSource read_source(const json& value, const std::string& path) {
    if (!value.is_object() || value.size() != 1)
        fail(path, "must be one of {\"json\": \"field\"}, {\"header\": \"Name\"}, {\"cookie\": \"Name\"}; got " + shown(value));
    check_keys(value, path, source_keys);
    ValueSource source;
    for (const auto& item : value.items()) { // the one member
        const std::string& key = item.key();
        source.from = key == "json" ? ValueSource::From::json : key == "header" ? ValueSource::From::header : ValueSource::From::cookie;
        source.name = read_string(item.value(), child(path, key), 256);
    }
    return source;
}

// Every {name} in `text` must be known at this step: user, n, value (if the step writes one) or
// a value captured by an earlier step.
bool has_line_break(std::string_view text) {
    return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

void check_placeholders(const std::string& text, const std::string& path, const std::set<std::string>& known) {
    for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
        const auto close = text.find('}', open);
        if (close == std::string::npos) return; // a brace in a JSON body, say: sent as it is
        const std::string name = text.substr(open + 1, close - open - 1);
        if (name.empty() || name.find_first_of("\"{: ") != std::string::npos) continue; // JSON, not ours
        if (!known.count(name)) {
            std::string list;
            for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
            fail(path, "uses {" + name + "}, which is not known here (known: " + list + ")");
        }
    }
}

DeclaredStep read_step(const json& value, const std::string& path, std::set<std::string>& captured,
                       std::set<std::string>& states) {
    if (!value.is_object()) fail(path, "must be an object { \"method\": ..., \"path\": ... }, got " + shown(value));
    check_keys(value, path, step_keys);
    DeclaredStep step;
    if (auto* v = optional_member(value, "method")) step.method = read_choice(*v, child(path, "method"), methods);
    step.path = read_string(require(value, path, "path", "a path such as \"/cart\""), child(path, "path"));
    if (!step.path.starts_with("/")) fail(child(path, "path"), "must start with '/' (the URL's host is the target's)");
    if (has_line_break(step.path)) fail(child(path, "path"), "holds CR, LF or NUL: a path is one line");
    if (auto* v = optional_member(value, "body")) step.body = read_string(*v, child(path, "body"), 65536);
    if (auto* v = optional_member(value, "headers")) {
        if (!v->is_object()) fail(child(path, "headers"), "must be an object of header names to values, got " + shown(*v));
        for (const auto& [name, text] : v->items()) {
            if (name.empty() || name.find_first_of(" :\t") != std::string::npos || has_line_break(name))
                fail(child(path, "headers"), "'" + name + "' is not a header name (no space, colon, CR, LF or NUL)");
            std::string header_value = read_string(text, child(child(path, "headers"), name), 8192);
            if (has_line_break(header_value))
                fail(child(child(path, "headers"), name), "holds CR, LF or NUL: a header value is one line");
            step.headers.emplace_back(name, std::move(header_value));
        }
    }
    if (auto* v = optional_member(value, "repeat")) {
        if (v->is_array()) {
            if (v->size() != 2) fail(child(path, "repeat"), "must be a count or [min, max], got " + shown(*v));
            step.repeat_min = read_int((*v)[0], child(path, "repeat") + "[0]", repeat_range);
            step.repeat_max = read_int((*v)[1], child(path, "repeat") + "[1]", repeat_range);
            if (step.repeat_max < step.repeat_min) fail(child(path, "repeat"), "max is below min");
        } else {
            step.repeat_min = step.repeat_max = read_int(*v, child(path, "repeat"), repeat_range);
        }
    }
    if (auto* v = optional_member(value, "think_ms")) step.think_ms = read_int(*v, child(path, "think_ms"), think_range);
    if (auto* v = optional_member(value, "expect")) step.expect = read_statuses(*v, child(path, "expect"));
    std::set<std::string> known = captured;
    known.insert({"user", "n"});
    if (auto* v = optional_member(value, "write")) {
        const std::string at = child(path, "write");
        if (!v->is_object()) fail(at, "must be { \"state\": \"list name\", \"value\": \"item-{n}\" }, got " + shown(*v));
        check_keys(*v, at, {"state", "value"});
        step.write_state = read_string(require(*v, at, "state", "a state list's name"), child(at, "state"), 64);
        step.write_value = read_string(require(*v, at, "value", "a value such as \"item-{n}\""), child(at, "value"), 1024);
        check_placeholders(step.write_value, child(at, "value"), known);
        states.insert(step.write_state);
        known.insert("value");
    }
    check_placeholders(step.path, child(path, "path"), known);
    check_placeholders(step.body, child(path, "body"), known);
    for (const auto& [name, text] : step.headers) check_placeholders(text, child(child(path, "headers"), name), known);
    if (auto* v = optional_member(value, "check")) {
        const std::string at = child(path, "check");
        if (!v->is_array()) fail(at, "must be an array of { \"field\": ..., \"holds\": ... }, got " + shown(*v));
        for (std::size_t i = 0; i < v->size(); ++i) {
            const std::string item = at + "[" + std::to_string(i) + "]";
            const json& c = (*v)[i];
            if (!c.is_object()) fail(item, "must be { \"field\": \"items\", \"holds\": \"items\" }, got " + shown(c));
            check_keys(c, item, check_keys_allowed);
            StateCheck check;
            check.field = read_string(require(c, item, "field", "a JSON field of the answer"), child(item, "field"), 256);
            if (auto* e = optional_member(c, "equals")) {
                if (c.contains("holds") || c.contains("exact"))
                    fail(item, "has \"equals\" and \"holds\": a check is one of them");
                check.equals = read_string(*e, child(item, "equals"), 1024);
                check_placeholders(*check.equals, child(item, "equals"), known);
                step.checks.push_back(std::move(check));
                continue;
            }
            check.state = read_string(require(c, item, "holds", "a state list a step writes (or \"equals\": a value)"),
                                      child(item, "holds"), 64);
            if (!states.count(check.state))
                fail(child(item, "holds"), "no step up to here writes the state '" + check.state + "'");
            if (auto* e = optional_member(c, "exact")) {
                if (!e->is_boolean()) fail(child(item, "exact"), "must be true or false, got " + shown(*e));
                check.exact = e->get<bool>();
            }
            step.checks.push_back(std::move(check));
        }
    }
    if (auto* v = optional_member(value, "clear")) {
        step.clear_state = read_string(*v, child(path, "clear"), 64);
        if (!states.count(step.clear_state))
            fail(child(path, "clear"), "no step up to here writes the state '" + step.clear_state + "'");
    }
    if (auto* v = optional_member(value, "capture")) {
        const std::string at = child(path, "capture");
        if (!v->is_object()) fail(at, "must be an object of names to sources, got " + shown(*v));
        for (const auto& [name, source] : v->items()) {
            if (name.empty() || name == "user" || name == "n" || name == "value")
                fail(child(at, name), "is a name the journey keeps for itself (user, n, value)");
            step.captures.push_back({name, read_source(source, child(at, name))});
            captured.insert(name);
        }
    }
    return step;
}

} // namespace

DeclaredJourneyPtr read_declared_journey(const json& value, const std::string& path) {
    check_keys(value, path, journey_keys);
    const json& steps = require(value, path, "steps", "an array of HTTP steps");
    if (!steps.is_array() || steps.empty() || steps.size() > max_steps)
        fail(child(path, "steps"), "must be an array of 1 to " + std::to_string(max_steps) + " steps, got " + shown(steps));
    auto journey = std::make_shared<DeclaredJourney>();
    std::set<std::string> captured, states;
    for (std::size_t i = 0; i < steps.size(); ++i)
        journey->steps.push_back(read_step(steps[i], child(path, "steps") + "[" + std::to_string(i) + "]", captured, states));
    if (journey->steps.front().repeat_min < 1)
        fail(child(path, "steps") + "[0].repeat", "the first step starts the session: it is done at least once");
    if (auto* v = optional_member(value, "lost_status")) journey->lost_status = read_statuses(*v, child(path, "lost_status"));
    journey->json = value.dump();
    return journey;
}

} // namespace statelab
