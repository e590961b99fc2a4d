#include "scenario/scenario_rules.hpp"

#include "cluster/cluster_plan.hpp"
#include "scenario/json_fields.hpp"
#include "scenario/target_rules.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

namespace statelab {

namespace {

using namespace fields;

using nlohmann::json;

constexpr IntRange nodes_range{1, max_nodes};
constexpr IntRange users_range{0, 100000};
constexpr IntRange addresses_range{1, 100000};
constexpr NumberRange change_every_range{0.5, 3600};
constexpr IntRange think_range{0, INT_MAX};
constexpr IntRange idle_close_range{0, INT_MAX}; // 0: never close
constexpr IntRange ttl_range{1, INT_MAX};
constexpr IntRange padding_range{0, 1048576};
constexpr IntRange item_bytes_range{0, 256}; // the backend refuses longer item names
constexpr NumberRange duration_range{0, 86400, true};
constexpr NumberRange rate_range{0, unbounded};
constexpr NumberRange share_range{0, 1};

const Keys root_keys{"name",       "mode",          "nodes",           "balancer",
                     "duration_s", "session_ttl_s", "session_padding", "session_in_url",
                     "cache_round_robin", "cache_version_check", "traffic",
                     "timeline", "target", "actions"};
const Keys traffic_keys{"users", "think_ms", "journey", "browse_share", "rate", "source_addresses",
                        "address_change_share", "address_change_every_s", "retry",
                        "item_bytes", "shared_link_share", "idle_close_ms"};
const Keys action_keys{"at_s", "action", "target", "users", "rate", "think_ms", "journey"};
const Keys set_keys{"users", "rate", "think_ms", "journey"};
const Keys journeys{"shop", "browse", "mix"};
const Keys retry_policies{"none", "naive", "idempotent"};
const Keys balancers{balancer_name(BalancerKind::builtin), balancer_name(BalancerKind::haproxy)};
// The names of the Action and BalancerKind tables (model/), in their order.
const Keys actions{action_name(Action::kill),    action_name(Action::stop), action_name(Action::pause),
                   action_name(Action::resume),  action_name(Action::restart), action_name(Action::add),
                   action_name(Action::remove),  action_name(Action::set),  action_name(Action::run)};
const Keys modes{mode_name(Mode::sticky),          mode_name(Mode::sticky_ip),  mode_name(Mode::shared_store),
                 mode_name(Mode::shared_store_ha), mode_name(Mode::client_token), mode_name(Mode::consistent_hash),
                 mode_name(Mode::hash_mod_n),      mode_name(Mode::replicated),   mode_name(Mode::sticky_url),
                 mode_name(Mode::sticky_cached)};

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

TrafficSettings read_traffic(const json& value) {
    if (!value.is_object())
        fail("traffic", "must be an object { \"users\": ... }, got " + shown(value));
    check_keys(value, "traffic", traffic_keys);
    TrafficSettings traffic;
    traffic.users = read_int(require(value, "traffic", "users", describe(users_range)),
                             "traffic.users", users_range);
    traffic.think_ms = 100;
    if (auto* v = optional_member(value, "think_ms"))
        traffic.think_ms = read_int(*v, "traffic.think_ms", think_range);
    traffic.journey = "shop";
    if (auto* v = optional_member(value, "journey"); v && v->is_object()) {
        traffic.declared = read_declared_journey(*v, "traffic.journey");
        traffic.journey = "declared";
    } else if (v && v->is_array()) {
        // The steps alone, as a first try writes them: the same as {"steps": [...]}.
        traffic.declared = read_declared_journey(nlohmann::json{{"steps", *v}}, "traffic.journey");
        traffic.journey = "declared";
    } else if (v) {
        traffic.journey = read_choice(*v, "traffic.journey", journeys);
    }
    traffic.browse_share = 0.5;
    if (auto* v = optional_member(value, "browse_share"))
        traffic.browse_share = read_number(*v, "traffic.browse_share", share_range);
    traffic.rate = 0;
    if (auto* v = optional_member(value, "rate"))
        traffic.rate = read_number(*v, "traffic.rate", rate_range);
    traffic.source_addresses = 0;
    if (auto* v = optional_member(value, "source_addresses"))
        traffic.source_addresses = read_int(*v, "traffic.source_addresses", addresses_range);
    if (auto* v = optional_member(value, "address_change_share"))
        traffic.address_change_share = read_number(*v, "traffic.address_change_share", share_range);
    if (auto* v = optional_member(value, "address_change_every_s"))
        traffic.address_change_every_s = read_number(*v, "traffic.address_change_every_s", change_every_range);
    if (auto* v = optional_member(value, "retry"))
        traffic.retry = read_choice(*v, "traffic.retry", retry_policies);
    if (auto* v = optional_member(value, "item_bytes"))
        traffic.item_bytes = read_int(*v, "traffic.item_bytes", item_bytes_range);
    if (auto* v = optional_member(value, "shared_link_share"))
        traffic.shared_link_share = read_number(*v, "traffic.shared_link_share", share_range);
    if (auto* v = optional_member(value, "idle_close_ms"))
        traffic.idle_close_ms = read_int(*v, "traffic.idle_close_ms", idle_close_range);
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
    if (auto* v = optional_member(value, "users"))
        action.users = read_int(*v, path + ".users", users_range);
    if (auto* v = optional_member(value, "rate"))
        action.rate = read_number(*v, path + ".rate", rate_range);
    if (auto* v = optional_member(value, "think_ms"))
        action.think_ms = read_int(*v, path + ".think_ms", think_range);
    if (auto* v = optional_member(value, "journey"))
        action.journey = read_choice(*v, path + ".journey", journeys);
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
