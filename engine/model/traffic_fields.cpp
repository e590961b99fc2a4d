#include "model/traffic_fields.hpp"

#include <climits>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace statelab {

namespace {
constexpr double unbounded = std::numeric_limits<double>::infinity();
using T = TrafficSettings;
} // namespace

const std::vector<TrafficField>& traffic_fields() {
    // In the order a written scenario lists them.
    static const std::vector<TrafficField> table{
        {.key = "users", .type = FieldType::count, .min = 0, .max = 100000, .member = &T::users, .required = true,
         .always_written = true, .change_label = "users",
         .help = "Concurrent virtual users, each with its own cookie jar and source address"},
        {.key = "think_ms", .type = FieldType::count, .min = 0, .max = INT_MAX, .member = &T::think_ms,
         .always_written = true, .change_label = "think", .unit = " ms",
         .help = "Closed loop: how long a user pauses between two requests"},
        {.key = "journey", .type = FieldType::choice, .min = 0, .max = 0, .member = &T::journey,
         .choices = {"shop", "browse", "mix"}, .always_written = true, .change_label = "journey",
         .help = "What the users do: shop (login, add to cart, checkout), browse (no cart), a mix of the two, "
                 "or the scenario's own steps"},
        {.key = "browse_share", .type = FieldType::share, .min = 0, .max = 1, .member = &T::browse_share,
         .always_written = true, .change_label = "browse",
         .help = "Share of users who only browse (no cart); the rest shop"},
        {.key = "rate", .type = FieldType::number, .min = 0, .max = unbounded, .member = &T::rate,
         .always_written = true, .change_label = "rate", .unit = "/s",
         .help = "Open loop: new user journeys per second regardless of how fast the servers answer; 0 = closed loop"},
        {.key = "source_addresses", .type = FieldType::count, .min = 1, .max = 100000, .member = &T::source_addresses,
         .change_label = "client addresses",
         .help = "Users behind a NAT: they share this many client addresses (an office, a mobile carrier). Under IP "
                 "stickiness they pile onto few servers. Users take it as they join"},
        {.key = "address_change_share", .type = FieldType::share, .min = 0, .max = 1,
         .member = &T::address_change_share, .change_label = "roaming",
         .help = "Roaming users: this share of them gets a new address now and then (a phone between Wi-Fi and "
                 "mobile). Sticky by IP sends each one elsewhere; a cookie keeps them"},
        {.key = "address_change_every_s", .type = FieldType::number, .min = 0.5, .max = 3600,
         .member = &T::address_change_every_s, .written_with = "address_change_share", .change_label = "roaming every",
         .unit = " s", .help = "How often a roaming user's address changes"},
        {.key = "retry", .type = FieldType::choice, .min = 0, .max = 0, .member = &T::retry,
         .choices = {"none", "naive", "idempotent"}, .change_label = "retry",
         .help = "When an add to cart or a checkout fails or gets no answer: give up, send it again as it was (the "
                 "server may apply it twice: duplicates), or send it again with the same Idempotency-Key (applied "
                 "once)"},
        {.key = "item_bytes", .type = FieldType::count, .min = 0, .max = 256, .member = &T::item_bytes,
         .change_label = "item bytes",
         .help = "Cart growth: the bytes each item added to a cart carries (a product's options, a note). Sessions "
                 "grow as users shop: watch the session state per server, and a client token outgrow its cookie (413)"},
        {.key = "shared_link_share", .type = FieldType::share, .min = 0, .max = 1, .member = &T::shared_link_share,
         .change_label = "shared links",
         .help = "Sticky by URL: this share of cart views opens a link another user posted. The link names that "
                 "user's server, and with the session id in the URL, that user's cart"},
        {.key = "idle_close_ms", .type = FieldType::count, .min = 0, .max = INT_MAX, .member = &T::idle_close_ms,
         .change_label = "idle close", .unit = " ms",
         .help = "A user about to think this long or longer closes its connection first, as a browser does past "
                 "the server's keep-alive; 0 = never close"},
    };
    return table;
}

const TrafficField& traffic_field(std::string_view key) {
    for (const TrafficField& field : traffic_fields())
        if (field.key == key) return field;
    throw std::logic_error("no traffic field " + std::string(key));
}

double TrafficField::number(const TrafficSettings& settings) const {
    if (const auto* m = std::get_if<int TrafficSettings::*>(&member)) return settings.**m;
    if (const auto* m = std::get_if<double TrafficSettings::*>(&member)) return settings.**m;
    return 0;
}

std::string TrafficField::text(const TrafficSettings& settings) const {
    if (const auto* m = std::get_if<std::string TrafficSettings::*>(&member)) return settings.**m;
    const double value = number(settings);
    if (type == FieldType::share) return std::to_string(static_cast<int>(value * 100 + 0.5)) + "%";
    if (type == FieldType::count || value == std::floor(value)) return std::to_string(static_cast<long long>(value));
    std::string out = std::to_string(value);
    out.erase(out.find_last_not_of('0') + 1);
    return out;
}

bool TrafficField::same(const TrafficSettings& a, const TrafficSettings& b) const {
    if (const auto* m = std::get_if<std::string TrafficSettings::*>(&member)) return a.**m == b.**m;
    return number(a) == number(b);
}

std::string describe_change(const TrafficSettings& a, const TrafficSettings& b) {
    std::string out;
    for (const TrafficField& field : traffic_fields()) {
        if (field.same(a, b)) continue;
        out += out.empty() ? "" : ", ";
        out += std::string(field.change_label) + " " + field.text(a) + " -> " + field.text(b) + std::string(field.unit);
    }
    return out;
}

} // namespace statelab
