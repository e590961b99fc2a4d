#include "scenario/scenario_rules.hpp"

#include "cluster/cluster_plan.hpp"
#include "scenario/json_fields.hpp"
#include "scenario/target_rules.hpp"
#include "model/traffic_fields.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace statelab {

namespace {

using namespace fields;

using nlohmann::json;

constexpr IntRange nodes_range{1, max_nodes};
constexpr IntRange ttl_range{1, INT_MAX};
constexpr IntRange padding_range{0, 1048576};
constexpr NumberRange duration_range{0, 86400, true};

const Keys root_keys{"name",       "mode",          "nodes",           "balancer",
                     "duration_s", "session_ttl_s", "session_padding", "session_in_url",
                     "cache_round_robin", "cache_version_check", "traffic",
                     "timeline", "target", "actions"};
const Keys action_keys{"at_s", "action", "target", "users", "rate", "think_ms", "journey"};
const Keys set_keys{"users", "rate", "think_ms", "journey"};
const Keys balancers{balancer_name(BalancerKind::builtin), balancer_name(BalancerKind::haproxy)};
// The names of the Action and Mode tables (model/), in their order.
template <typename Enum, std::size_t N, typename Name>
Keys names_of(const Enum (&all)[N], Name name) {
    std::vector<std::string_view> keys;
    for (Enum value : all) keys.push_back(name(value));
    return Keys(std::move(keys));
}
const Keys actions = names_of(all_actions, action_name);
const Keys modes = names_of(all_modes, mode_name);

Mode read_mode(const json& value) {
    if (value.is_string()) {
        const auto text = value.get<std::string>();
        if (auto mode = parse_mode(text)) return *mode;
    }
    fail("mode", "must be " + describe(modes) + "; got " + shown(value));
}

std::string read_name(const json& value) {
    if (!value.is_string() ||
        value.get<std::string>().find_first_not_of(" \t") == std::string::npos)
        fail("name", "must be a non-empty string, got " + shown(value));
    return value.get<std::string>();
}

const Keys traffic_keys = [] {
    std::vector<std::string_view> keys;
    for (const TrafficField& field : traffic_fields()) keys.push_back(field.key);
    return Keys(std::move(keys));
}();

IntRange int_range(const TrafficField& field) {
    return {static_cast<long long>(field.min), static_cast<long long>(field.max)};
}

// One traffic field's value at `path`, within its row's range or choices, into `traffic`.
void read_field(const TrafficField& field, const json& value, const std::string& path, TrafficSettings& traffic) {
    std::visit(
        [&](auto member) {
            using Value = std::remove_reference_t<decltype(traffic.*member)>;
            if constexpr (std::is_same_v<Value, int>) traffic.*member = read_int(value, path, int_range(field));
            else if constexpr (std::is_same_v<Value, double>) traffic.*member = read_number(value, path, {field.min, field.max});
            else traffic.*member = read_choice(value, path, Keys(field.choices));
        },
        field.member);
}

std::string describe(const TrafficField& field) {
    if (field.type == FieldType::choice) return describe(Keys(field.choices));
    if (field.type == FieldType::count) return describe(int_range(field));
    return describe(NumberRange{field.min, field.max});
}

TrafficSettings read_traffic(const json& value) {
    if (!value.is_object())
        fail("traffic", "must be an object { \"users\": ... }, got " + shown(value));
    check_keys(value, "traffic", traffic_keys);
    TrafficSettings traffic;
    for (const TrafficField& field : traffic_fields()) {
        const std::string path = child("traffic", field.key);
        const json* v = field.required ? &require(value, "traffic", field.key, describe(field)) : optional_member(value, field.key);
        if (!v) continue;
        if (field.key == "journey" && (v->is_object() || v->is_array())) {
            // Declared steps; alone, as a first try writes them, the same as {"steps": [...]}.
            traffic.declared = read_declared_journey(v->is_object() ? *v : nlohmann::json{{"steps", *v}}, path);
            traffic.journey = "declared";
            continue;
        }
        read_field(field, *v, path, traffic);
    }
    return traffic;
}

struct IndexedAction {
    std::size_t index; // position in the file, for error paths
    TimelineAction action;
};

std::string entry_path(std::size_t index) {
    return "timeline[" + std::to_string(index) + "]";
}

TimelineAction read_action(const json& value, const std::string& path, double duration_s) {
    if (!value.is_object())
        fail(path, "must be an object { \"at_s\": ..., \"action\": ... }, got " + shown(value));
    check_keys(value, path, action_keys);
    TimelineAction action;
    const NumberRange at_range{0, duration_s};
    action.at_s = read_number(require(value, path, "at_s", describe(at_range) + " (duration_s)"),
                              path + ".at_s", at_range);
    const std::string verb =
        read_choice(require(value, path, "action", describe(actions)), path + ".action", actions);
    action.action = *parse_action(verb);
    const bool takes_target = needs_target(action.action);
    if (const json* target = optional_member(value, "target")) {
        if (!takes_target)
            fail(path + ".target", verb == "add"
                                       ? "'add' takes no target; the new node is named for you"
                                       : "'set' takes no target; it changes the traffic");
        if (!target->is_string())
            fail(path + ".target", "must be a process name such as node-1, got " + shown(*target));
        action.target = target->get<std::string>();
    } else if (takes_target) {
        fail(path + ".target", "missing; '" + verb + "' needs a target such as node-1 or balancer");
    }
    for (auto key : set_keys)
        if (verb != "set" && value.contains(key))
            fail(child(path, key), "only 'set' takes traffic fields, not '" + verb + "'");
    if (verb != "set") return action;

    if (std::none_of(set_keys.begin(), set_keys.end(), [&](auto k) { return value.contains(k); }))
        fail(path, "'set' needs at least one of " + joined(set_keys));
    // The traffic's own fields, read as its rows say.
    TrafficSettings set;
    auto read = [&](std::string_view key) {
        const json* v = optional_member(value, key);
        if (v) read_field(traffic_field(key), *v, child(path, key), set);
        return v != nullptr;
    };
    if (read("users")) action.users = set.users;
    if (read("rate")) action.rate = set.rate;
    if (read("think_ms")) action.think_ms = set.think_ms;
    if (read("journey")) action.journey = set.journey;
    return action;
}

// Only canonical names ("node-2", not "node-02") match the processes the supervisor starts.
int node_number(std::string_view target) {
    if (!target.starts_with("node-")) return 0;
    target.remove_prefix(5);
    int number = 0;
    auto [end, ec] = std::from_chars(target.data(), target.data() + target.size(), number);
    if (ec != std::errc() || end != target.data() + target.size()) return 0;
    return std::to_string(number) == target ? number : 0;
}

void check_target(const TimelineAction& action, const std::string& path, Mode mode, int node_count,
                  int added) {
    const std::string& target = action.target;
    const std::string nodes_hint =
        node_count == 1 ? "node-1" : "node-1..node-" + std::to_string(node_count);
    // The store's processes of this mode (redis; in shared-store-ha its replica and sentinels).
    std::vector<std::string> store;
    for (const PlannedProcess& p : plan_processes(ClusterSettings{mode, 1}))
        if (p.kind != ProcessKind::backend && p.kind != ProcessKind::balancer) store.push_back(p.name);
    const bool of_store = std::find(store.begin(), store.end(), target) != store.end();
    const bool store_like = target == "redis" || target.starts_with("redis-") || target.starts_with("sentinel-");
    if (target == "balancer" || of_store) {
        if (action.action == Action::remove)
            fail(path,
                 "'remove' takes a node (" + nodes_hint + "); use kill or stop for " + target);
        return;
    }
    if (store_like && store.empty())
        fail(path, "target '" + target + "' exists only in the shared-store modes; this scenario is " +
                       std::string(mode_name(mode)));
    const int number = node_number(target);
    if (number >= 1 && number <= node_count) return;
    std::string hint = "nodes are " + nodes_hint;
    if (added > 0) hint += " after " + std::to_string(added) + " earlier 'add'";
    hint += ", plus balancer";
    for (const std::string& name : store) hint += ", " + name;
    if (store.empty()) hint += ", and redis in the shared-store modes";
    fail(path, "unknown target '" + target + "' (" + hint + ")");
}

std::vector<TimelineAction> read_timeline(const json& value, const Scenario& scenario) {
    if (!value.is_array()) fail("timeline", "must be an array of actions, got " + shown(value));
    std::vector<IndexedAction> entries;
    for (std::size_t i = 0; i < value.size(); ++i)
        entries.push_back({i, read_action(value[i], entry_path(i), scenario.duration_s)});

    // Node names depend on the adds that happen *before* an action in time, not in the file.
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.action.at_s < b.action.at_s; });
    int added = 0;
    std::vector<TimelineAction> timeline;
    for (auto& entry : entries) {
        if (scenario.target && entry.action.action != Action::set)
            check_target_action(entry.action, entry_path(entry.index), *scenario.target);
        else if (entry.action.action == Action::run)
            fail(entry_path(entry.index) + ".action", "'run' runs a command of \"actions\", which only a \"target\" scenario has "
                                                      "(the lab acts on its own cluster itself)");
        else if (entry.action.action == Action::add)
            ++added;
        else if (!entry.action.target.empty())
            check_target(entry.action, entry_path(entry.index) + ".target", scenario.mode,
                         scenario.nodes + added, added);
        timeline.push_back(std::move(entry.action));
    }
    return timeline;
}

} // namespace

Scenario scenario_from_json(const json& root) {
    if (!root.is_object())
        fail("", "a scenario must be a JSON object { \"name\": ..., ... }, got " + shown(root));
    check_keys(root, "", root_keys);

    Scenario scenario;
    scenario.name = read_name(require(root, "", "name", "a non-empty string"));
    // Against a target, mode says what the system does with sessions (for the loss attribution;
    // default sticky: in the servers' memory) and nodes is not needed: nothing is launched.
    if (auto* v = optional_member(root, "target")) scenario.target = read_target(*v, optional_member(root, "actions"));
    else if (root.contains("actions"))
        fail("actions", "commands for node actions need a \"target\" (the lab runs its own cluster's actions itself)");
    const bool launches = !scenario.target;
    if (launches || root.contains("mode")) scenario.mode = read_mode(require(root, "", "mode", describe(modes)));
    if (launches || root.contains("nodes"))
        scenario.nodes = read_int(require(root, "", "nodes", describe(nodes_range)), "nodes", nodes_range);
    scenario.duration_s = read_number(require(root, "", "duration_s", describe(duration_range)),
                                      "duration_s", duration_range);
    scenario.traffic = read_traffic(require(root, "", "traffic", "an object with \"users\""));
    if (auto* v = optional_member(root, "balancer"))
        scenario.balancer = *parse_balancer(read_choice(*v, "balancer", balancers));
    if (auto* v = optional_member(root, "session_ttl_s"))
        scenario.session_ttl_s = read_int(*v, "session_ttl_s", ttl_range);
    if (auto* v = optional_member(root, "session_padding"))
        scenario.session_padding = read_int(*v, "session_padding", padding_range);
    const std::pair<const char*, bool*> switches[] = {{"session_in_url", &scenario.session_in_url},
                                                      {"cache_round_robin", &scenario.cache_round_robin},
                                                      {"cache_version_check", &scenario.cache_version_check}};
    for (const auto& [key, field] : switches)
        if (auto* v = optional_member(root, key)) {
            if (!v->is_boolean()) fail(key, "must be true or false, got " + shown(*v));
            *field = v->get<bool>();
        }
    if (auto* v = optional_member(root, "timeline"))
        scenario.timeline = read_timeline(*v, scenario);
    return scenario;
}

} // namespace statelab
