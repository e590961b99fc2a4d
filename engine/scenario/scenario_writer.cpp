#include "scenario/scenario_writer.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

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
    out["users"] = traffic.users;
    out["think_ms"] = traffic.think_ms;
    if (traffic.declared) out["journey"] = ordered_json::parse(traffic.declared->json);
    else out["journey"] = traffic.journey;
    out["browse_share"] = number(traffic.browse_share);
    out["rate"] = number(traffic.rate);
    if (traffic.source_addresses > 0) out["source_addresses"] = traffic.source_addresses;
    if (traffic.address_change_share > 0) {
        out["address_change_share"] = number(traffic.address_change_share);
        out["address_change_every_s"] = number(traffic.address_change_every_s);
    }
    if (traffic.retry != "none") out["retry"] = traffic.retry;
    if (traffic.item_bytes > 0) out["item_bytes"] = traffic.item_bytes;
    if (traffic.shared_link_share > 0) out["shared_link_share"] = number(traffic.shared_link_share);
    if (traffic.idle_close_ms != server_keep_alive_ms) out["idle_close_ms"] = traffic.idle_close_ms;

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
