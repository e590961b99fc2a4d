#include "common/cookies.hpp"

#include <vector>

namespace statelab {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Calls fn(name, value, whole_pair) for each `name=value` pair of a Cookie header; stops when
// fn returns true.
template <typename Fn> void for_each_cookie(std::string_view header, Fn&& fn) {
    while (!header.empty()) {
        auto semi = header.find(';');
        std::string_view pair = trim(header.substr(0, semi));
        if (!pair.empty()) {
            auto eq = pair.find('=');
            std::string_view name = trim(pair.substr(0, eq));
            std::string_view value =
                eq == std::string_view::npos ? std::string_view{} : trim(pair.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                value = value.substr(1, value.size() - 2);
            if (fn(name, value, pair)) return;
        }
        if (semi == std::string_view::npos) return;
        header.remove_prefix(semi + 1);
    }
}

} // namespace

std::optional<std::string_view> find_cookie(std::string_view cookie_header, std::string_view name) {
    std::optional<std::string_view> found;
    for_each_cookie(cookie_header, [&](std::string_view n, std::string_view v, std::string_view) {
        if (n != name) return false;
        found = v;
        return true;
    });
    return found;
}

std::optional<std::string_view> request_cookie(const Request& req, std::string_view name) {
    for (auto it = req.find(http::field::cookie); it != req.end() && it->name() == http::field::cookie;
         ++it) {
        if (auto v = find_cookie(it->value(), name)) return v;
    }
    return std::nullopt;
}

std::string remove_cookie(std::string_view cookie_header, std::string_view name) {
    std::string out;
    for_each_cookie(cookie_header, [&](std::string_view n, std::string_view, std::string_view pair) {
        if (n == name) return false;
        if (!out.empty()) out += "; ";
        out += pair;
        return false;
    });
    return out;
}

void strip_request_cookie(Request& req, std::string_view name) {
    std::vector<std::string> kept;
    bool changed = false;
    for (auto it = req.find(http::field::cookie); it != req.end() && it->name() == http::field::cookie;
         ++it) {
        // Whether the cookie was there, not whether the length moved: rewritten with "; " the
        // rest of a header can come out exactly as long as it went in (found by fuzz_cookie).
        changed = changed || find_cookie(it->value(), name).has_value();
        std::string rest = remove_cookie(it->value(), name);
        if (!rest.empty()) kept.push_back(std::move(rest));
    }
    if (!changed) return;
    req.erase(http::field::cookie);
    for (auto& value : kept) req.insert(http::field::cookie, value);
}

std::string session_cookie(std::string_view name, std::string_view value) {
    std::string out;
    out.reserve(name.size() + value.size() + 40);
    out.append(name).append("=").append(value).append("; Path=/; HttpOnly; SameSite=Lax");
    return out;
}

std::string expired_cookie(std::string_view name) {
    return std::string(name) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
}

} // namespace statelab
