#pragma once
// The traffic settings' fields, one row each: the name a scenario's "traffic" gives it, its type
// and range, whether a written scenario always names it, the change log's words and the help a
// user reads. The scenario reader and writer, the change log ("think 100 -> 200 ms") and the
// traffic panel all take them from here; the defaults are TrafficSettings' own.
#include "model/traffic.hpp"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace statelab {

enum class FieldType {
    count,  // a whole number (int member)
    number, // a real number (double member)
    share,  // a real number from 0 to 1, told in percent (double member)
    choice, // one of `choices` (string member)
};

struct TrafficField {
    std::string_view key;
    FieldType type;
    double min, max; // inclusive; max infinity: no upper bound
    std::variant<int TrafficSettings::*, double TrafficSettings::*, std::string TrafficSettings::*> member;
    std::vector<std::string_view> choices;
    bool required = false;        // a scenario's "traffic" must name it
    bool always_written = false;  // a scenario the lab writes names it even at its default
    std::string_view written_with; // written exactly when this other field is (roaming's period)
    std::string_view change_label; // "think" in the change log's "think 100 -> 200 ms"
    std::string_view unit;         // after the new value in the change log: " ms", "/s"
    std::string_view help;         // one line for the user: the panel's tooltip, the docs

    double number(const TrafficSettings& settings) const; // count, number and share fields
    std::string text(const TrafficSettings& settings) const; // any field, as the change log shows it
    bool same(const TrafficSettings& a, const TrafficSettings& b) const;
};

const std::vector<TrafficField>& traffic_fields();
// The row of `key`; a key not in the table is a programming error (std::logic_error).
const TrafficField& traffic_field(std::string_view key);
// "users 300 -> 600, think 100 -> 200 ms": what changed from `a` to `b`, empty when nothing did.
std::string describe_change(const TrafficSettings& a, const TrafficSettings& b);

} // namespace statelab
