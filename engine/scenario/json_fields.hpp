#pragma once
// Reading a scenario's JSON fields with one-line errors that name the field ("traffic.users:
// must be an integer from 0 to 100000, got -1"). Internal to engine/scenario.
#include "scenario/scenario_rules.hpp"

#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace statelab::fields {

using nlohmann::json;
// The keys or choices a field allows: written out ({"shop", "browse"}) or taken from a table.
class Keys {
public:
    Keys(std::initializer_list<std::string_view> keys) : m_keys(keys) {}
    explicit Keys(std::vector<std::string_view> keys) : m_keys(std::move(keys)) {}
    auto begin() const { return m_keys.begin(); }
    auto end() const { return m_keys.end(); }

private:
    std::vector<std::string_view> m_keys;
};

struct IntRange {
    long long min;
    long long max;
};
struct NumberRange {
    double min;
    double max; // infinity: no upper bound
    bool min_exclusive = false;
};

constexpr double unbounded = std::numeric_limits<double>::infinity();

[[noreturn]] void fail(std::string path, std::string message);
std::string child(const std::string& parent, std::string_view key);
std::string format_number(double value);
std::string shown(const json& value); // the offending value as written, short enough for one line
std::string joined(const Keys& keys);
bool contains(const Keys& keys, std::string_view key);
// Unknown keys are errors, with the likely intended key.
void check_keys(const json& object, const std::string& path, const Keys& allowed);
std::string describe(IntRange range);
std::string describe(NumberRange range);
std::string describe(const Keys& choices);
// Present member or FieldError "missing"; `what` tells the user what to write.
const json& require(const json& object, const std::string& parent, std::string_view key, const std::string& what);
const json* optional_member(const json& object, std::string_view key);
int read_int(const json& value, const std::string& path, IntRange range);
double read_number(const json& value, const std::string& path, NumberRange range);
std::string read_choice(const json& value, const std::string& path, const Keys& choices);
// A non-empty string (at most `max_chars`).
std::string read_string(const json& value, const std::string& path, std::size_t max_chars = 4096);

} // namespace statelab::fields
