#include "server/session.hpp"

#include <nlohmann/json.hpp>

namespace statelab {

const std::string* Session::remembered_reply(const std::string& key) const {
    for (const auto& [k, body] : replies)
        if (k == key) return &body;
    return nullptr;
}

void Session::remember_reply(std::string key, std::string body) {
    if (replies.size() >= max_remembered_replies) replies.erase(replies.begin());
    replies.emplace_back(std::move(key), std::move(body));
}

std::size_t Session::state_bytes() const {
    std::size_t bytes = sizeof(Session) + user.size() + padding.size();
    for (const auto& item : items) bytes += item.size() + sizeof(std::string);
    for (const auto& [k, body] : replies) bytes += k.size() + body.size() + 2 * sizeof(std::string);
    return bytes;
}

std::string session_to_json(const Session& s) {
    // The version first: a cache can check it by reading a few bytes (RedisStore::peek_version).
    nlohmann::ordered_json j{{"v", s.version}, {"u", s.user}, {"i", s.items}};
    if (!s.replies.empty()) j["r"] = s.replies;
    if (!s.padding.empty()) j["p"] = s.padding;
    return j.dump();
}

Session session_from_json(std::string_view text) {
    auto j = nlohmann::json::parse(text);
    Session s;
    s.user = j.at("u").get<std::string>();
    s.items = j.at("i").get<std::vector<std::string>>();
    s.version = j.at("v").get<std::uint64_t>();
    if (j.contains("r")) s.replies = j["r"].get<std::vector<std::pair<std::string, std::string>>>();
    if (j.contains("p")) s.padding = j["p"].get<std::string>();
    return s;
}

std::string cart_json(const Session& s) {
    return nlohmann::ordered_json{{"user", s.user}, {"items", s.items}, {"version", s.version}}.dump();
}

} // namespace statelab
