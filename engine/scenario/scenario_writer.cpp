#include "lab_files.hpp"

#include "model/traffic_fields.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <variant>

namespace statelab {

namespace {

using nlohmann::ordered_json;

// nlohmann writes every double with a fraction ("20.0"); hand-written files say 20, so whole
// numbers are written as integers. The parser accepts both.
ordered_json number(double value) {
    if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < 1e15)
        return static_cast<long long>(value);
    return value;
}

ordered_json action_to_json(const TimelineAction& action) {
    ordered_json entry;
    entry["at_s"] = number(action.at_s);
    entry["action"] = action_name(action.action);
    if (!action.target.empty()) entry["target"] = action.target;
    if (action.users) entry["users"] = *action.users;
    if (action.rate) entry["rate"] = number(*action.rate);
    if (action.think_ms) entry["think_ms"] = *action.think_ms;
    if (action.journey) entry["journey"] = *action.journey;
    return entry;
}

} // namespace

std::string scenario_to_json(const Scenario& scenario) {
    ordered_json root;
    root["name"] = scenario.name;
    root["mode"] = mode_name(scenario.mode);
    root["nodes"] = scenario.nodes;
    root["balancer"] = balancer_name(scenario.balancer);
    root["duration_s"] = number(scenario.duration_s);
    root["session_ttl_s"] = scenario.session_ttl_s;
    root["session_padding"] = scenario.session_padding;
    if (scenario.session_in_url) root["session_in_url"] = true;
    if (scenario.cache_round_robin) root["cache_round_robin"] = true;
    if (!scenario.cache_version_check) root["cache_version_check"] = false;

    const TrafficSettings& traffic = scenario.traffic;
    ordered_json& out = root["traffic"];
    const TrafficSettings defaults;
    auto written = [&](const TrafficField& field) { return field.always_written || !field.same(traffic, defaults); };
    for (const TrafficField& field : traffic_fields()) {
        if (!(field.written_with.empty() ? written(field) : written(traffic_field(field.written_with)))) continue;
        if (field.key == "journey" && traffic.declared) {
            out["journey"] = ordered_json::parse(traffic.declared->json);
            continue;
        }
        std::visit(
            [&](auto member) {
                if constexpr (std::is_same_v<std::remove_cvref_t<decltype(traffic.*member)>, double>)
                    out[field.key] = number(traffic.*member);
                else out[field.key] = traffic.*member;
            },
            field.member);
    }

    if (scenario.target) {
        ordered_json& target = root["target"];
        target["url"] = scenario.target->url;
        const ValueSource& by = scenario.target->served_by;
        if (by.name.empty()) target["served_by"] = "none";
        else target["served_by"][by.from == ValueSource::From::cookie ? "cookie" : "header"] = by.name;
        for (const auto& [name, verbs] : scenario.target->actions)
            for (const auto& [verb, command] : verbs) root["actions"][name][action_name(verb)] = command;
        for (const auto& [name, served] : scenario.target->served_as) root["actions"][name]["served_as"] = served;
    }

    ordered_json timeline = ordered_json::array();
    for (const auto& action : scenario.timeline)
        timeline.push_back(action_to_json(action));
    root["timeline"] = std::move(timeline);
    // Replace, not throw, on invalid UTF-8 in a name typed into the GUI: saving must not fail.
    return root.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

} // namespace statelab
