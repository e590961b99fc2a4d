#include "scenario/json_fields.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <vector>

namespace statelab::fields {

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}
} // namespace

[[noreturn]] void fail(std::string path, std::string message) {
    throw FieldError{std::move(path), std::move(message)};
}

std::string child(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string format_number(double value) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : "?";
}

// The offending value as the user wrote it, short enough for one line.
std::string shown(const json& value) {
    if (value.is_object()) return "an object";
    if (value.is_array()) return "an array";
    std::string text = value.dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return text;
}

std::string joined(const Keys& keys) {
    std::string out;
    for (auto key : keys)
        out += (out.empty() ? "" : ", ") + std::string(key);
    return out;
}

bool contains(const Keys& keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}


// Unknown keys are almost always typos ("duraton_s") that would otherwise be silently
// ignored and leave a default in place, so they are errors, with the likely intended key.
void check_keys(const json& object, const std::string& path, const Keys& allowed) {
    for (const auto& item : object.items()) {
        if (contains(allowed, item.key())) continue;
        std::string hint = "unknown key (allowed: " + joined(allowed) + ")";
        std::size_t best = 3; // more than two edits away is a different word, not a typo
        for (auto key : allowed) {
            if (const auto distance = edit_distance(item.key(), key); distance < best) {
                best = distance;
                hint = "unknown key; did you mean '" + std::string(key) + "'?";
            }
        }
        fail(child(path, item.key()), hint);
    }
}

std::string describe(IntRange range) {
    return "an integer from " + std::to_string(range.min) + " to " + std::to_string(range.max);
}

std::string describe(NumberRange range) {
    const std::string low = (range.min_exclusive ? "> " : ">= ") + format_number(range.min);
    if (range.max == unbounded) return "a number " + low;
    if (!range.min_exclusive)
        return "a number from " + format_number(range.min) + " to " + format_number(range.max);
    return "a number " + low + " and <= " + format_number(range.max);
}

std::string describe(const Keys& choices) {
    return "one of " + joined(choices);
}

// Present member or FieldError "missing"; `what` tells the user what to write.
const json& require(const json& object, const std::string& parent, std::string_view key,
                    const std::string& what) {
    auto it = object.find(key);
    if (it == object.end()) fail(child(parent, key), "missing; expected " + what);
    return *it;
}

const json* optional_member(const json& object, std::string_view key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

int read_int(const json& value, const std::string& path, IntRange range) {
    long long number = 0;
    bool integral = false;
    if (value.is_number_unsigned()) {
        const auto u = value.get<unsigned long long>();
        number = u > LLONG_MAX ? LLONG_MAX : static_cast<long long>(u);
        integral = true;
    } else if (value.is_number_integer()) {
        number = value.get<long long>();
        integral = true;
    } else if (value.is_number_float()) {
        // 3.0 is what some editors and spreadsheets write for 3; accept it.
        const double d = value.get<double>();
        integral = std::trunc(d) == d && std::fabs(d) < 9e18;
        if (integral) number = static_cast<long long>(d);
    }
    if (!integral || number < range.min || number > range.max)
        fail(path, "must be " + describe(range) + ", got " + shown(value));
    return static_cast<int>(number);
}

double read_number(const json& value, const std::string& path, NumberRange range) {
    const bool ok = value.is_number() && [&] {
        const double d = value.get<double>();
        const bool above = range.min_exclusive ? d > range.min : d >= range.min;
        return std::isfinite(d) && above && d <= range.max;
    }();
    if (!ok) fail(path, "must be " + describe(range) + ", got " + shown(value));
    return value.get<double>();
}

std::string read_choice(const json& value, const std::string& path, const Keys& choices) {
    if (!value.is_string() || !contains(choices, value.get<std::string>()))
        fail(path, "must be " + describe(choices) + "; got " + shown(value));
    return value.get<std::string>();
}


std::string read_string(const json& value, const std::string& path, std::size_t max_chars) {
    if (!value.is_string() || value.get<std::string>().empty() || value.get<std::string>().size() > max_chars)
        fail(path, "must be a non-empty string of at most " + std::to_string(max_chars) + " characters, got " + shown(value));
    return value.get<std::string>();
}

} // namespace statelab::fields
