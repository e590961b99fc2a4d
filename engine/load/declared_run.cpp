#include "load/declared_run.hpp"

#include "load/user_connection.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace statelab {

namespace {

constexpr std::size_t max_in_doubt = 16; // per state list; the oldest doubts go first

// "order.items.0" in a JSON answer; null when it is not there.
const nlohmann::json* find_field(const nlohmann::json& root, const std::string& dotted) {
    const nlohmann::json* at = &root;
    std::size_t from = 0;
    while (at && from <= dotted.size()) {
        const auto dot = std::min(dotted.find('.', from), dotted.size());
        const std::string key = dotted.substr(from, dot - from);
        if (at->is_object()) {
            const auto it = at->find(key);
            at = it == at->end() ? nullptr : &*it;
        } else if (at->is_array() && !key.empty() && key.size() <= 9 &&
                   key.find_first_not_of("0123456789") == std::string::npos && std::stoul(key) < at->size()) {
            at = &(*at)[std::stoul(key)];
        } else {
            at = nullptr;
        }
        from = dot + 1;
    }
    return at;
}

std::string as_text(const nlohmann::json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// Unreserved characters stay; anything else a value brings into a path is %-encoded.
std::string path_encoded(const std::string& value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else out += '%', out += hex[c >> 4], out += hex[c & 15];
    }
    return out;
}

bool holds(const std::vector<std::string>& values, const std::string& v) {
    return std::find(values.begin(), values.end(), v) != values.end();
}

} // namespace

DeclaredRun::DeclaredRun(DeclaredJourneyPtr journey, std::string user, std::uint32_t seed)
    : m_journey(std::move(journey)), m_user(std::move(user)), m_rng(seed) {
    enter(0);
}

const std::vector<std::string>& DeclaredRun::written(const std::string& state) const {
    static const std::vector<std::string> none;
    const auto it = m_written.find(state);
    return it == m_written.end() ? none : it->second;
}

void DeclaredRun::enter(std::size_t index) {
    // A step done 0 times this round is skipped; the first step is done at least once (parser).
    for (std::size_t tries = 0; tries <= m_journey->steps.size(); ++tries) {
        if (index >= m_journey->steps.size()) {
            start_over();
            return;
        }
        const DeclaredStep& s = m_journey->steps[index];
        const int span = s.repeat_max - s.repeat_min;
        m_times_left = s.repeat_min + (span > 0 ? static_cast<int>(m_rng() % static_cast<unsigned>(span + 1)) : 0);
        m_step = index;
        if (m_times_left > 0) return;
        ++index;
    }
}

void DeclaredRun::start_over() {
    m_in_session = false;
    m_captured.clear();
    m_written.clear();
    m_in_doubt.clear();
    m_step = 0;
    const DeclaredStep& first = m_journey->steps.front();
    m_times_left = std::max(1, first.repeat_min);
}

void DeclaredRun::step_done() {
    if (--m_times_left > 0) return;
    enter(m_step + 1); // past the last step: a new session
}

std::string DeclaredRun::expand(const std::string& text, bool in_path) const {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto close = text[i] == '{' ? text.find('}', i) : std::string::npos;
        if (close != std::string::npos) {
            const std::string name = text.substr(i + 1, close - i - 1);
            const std::string* value = nullptr;
            std::string number;
            if (name == "user") value = &m_user;
            else if (name == "value") value = &m_value;
            else if (name == "n") number = std::to_string(m_n), value = &number;
            else if (auto it = m_captured.find(name); it != m_captured.end()) value = &it->second;
            if (value) {
                out += in_path ? path_encoded(*value) : *value;
                i = close + 1;
                continue;
            }
            // Not ours (a JSON body's brace, or a capture not made yet): as written.
        }
        out += text[i++];
    }
    return out;
}

DeclaredRequest DeclaredRun::next_request() {
    ++m_n;
    const DeclaredStep& s = step();
    if (!s.write_value.empty()) m_value = expand(s.write_value, false);
    DeclaredRequest request;
    request.verb = http::string_to_verb(s.method);
    request.target = expand(s.path, true);
    request.body = expand(s.body, false);
    auto refuse = [&](std::string why) {
        if (request.refused.empty()) request.refused = std::move(why);
    };
    // A request line or header past what HTTP/1.1 fields carry here (the HTTP library throws
    // past 65,535 bytes; servers refuse far less): a captured value too long to send.
    if (request.target.size() > max_field_bytes)
        refuse("the path: a captured value makes it " + std::to_string(request.target.size()) + " bytes long");
    for (const auto& [name, value] : s.headers) {
        std::string expanded = expand(value, false);
        // Data, never protocol: a line break (or NUL) from the target would end this header and
        // start another, or a second request.
        if (expanded.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
            refuse("header '" + name + "': a captured value holds CR, LF or NUL");
        if (expanded.size() > max_field_bytes)
            refuse("header '" + name + "': a captured value makes it " + std::to_string(expanded.size()) + " bytes long");
        request.headers.emplace_back(name, std::move(expanded));
    }
    return request;
}

bool DeclaredRun::check_holds(const StateCheck& check, const std::string& body) {
    std::vector<std::string> shown;
    try {
        const auto root = nlohmann::json::parse(body);
        const nlohmann::json* field = find_field(root, check.field);
        if (!field) return false;
        if (field->is_array())
            for (const auto& v : *field) shown.push_back(as_text(v));
        else
            shown.push_back(as_text(*field));
    } catch (const std::exception&) {
        return false; // not the answer the journey declared: whatever it held is gone
    }
    if (check.equals) return shown.size() == 1 && shown.front() == expand(*check.equals, false);
    std::vector<std::string>& written = m_written[check.state];
    for (const auto& v : written)
        if (!holds(shown, v)) return false;
    std::vector<std::string>& doubts = m_in_doubt[check.state];
    if (check.exact)
        for (const auto& v : shown)
            if (!holds(written, v) && !holds(doubts, v)) return false; // somebody else's, or an old one
    // A write in doubt that shows up was applied after all: from now on it must stay.
    std::erase_if(doubts, [&](const std::string& v) {
        if (!holds(shown, v)) return false;
        written.push_back(v);
        return true;
    });
    return true;
}

Verdict DeclaredRun::give_up(bool maybe_applied) {
    const DeclaredStep& s = step();
    if (maybe_applied && !s.write_state.empty()) {
        auto& doubts = m_in_doubt[s.write_state];
        doubts.push_back(m_value);
        if (doubts.size() > max_in_doubt) doubts.erase(doubts.begin());
    }
    if (m_step == 0) start_over(); // no session yet: the first step again
    else step_done();
    return Verdict{};
}

Verdict DeclaredRun::on_refused() {
    m_last_think = step().think_ms;
    start_over();
    return Verdict{};
}

Verdict DeclaredRun::on_transport_failure() {
    const DeclaredStep& s = step();
    m_last_think = s.think_ms;
    // A read that checks the state is safe to send again: its answer (from the server the
    // balancer picks now) tells whether the session survived. Moving on silently missed the
    // losses of about 6% of a killed server's users.
    const bool checking_read = (s.method == "GET" || s.method == "HEAD") && !s.checks.empty();
    if (checking_read && m_in_session && m_read_retries < max_read_retries) {
        ++m_read_retries;
        return Verdict{};
    }
    m_read_retries = 0;
    return give_up(true);
}

Verdict DeclaredRun::on_response(const Response& response, const CookieJar& jar, bool idle_past_ttl) {
    m_read_retries = 0;
    const DeclaredStep& s = step();
    m_last_think = s.think_ms;
    const int status = static_cast<int>(response.result_int());
    Verdict v;
    if (auto x = response.find("X-Session"); x != response.end()) v.hit = x->value() == "hit", v.miss = x->value() == "miss";
    const auto& lost_status = m_journey->lost_status;
    if (m_in_session && std::find(lost_status.begin(), lost_status.end(), status) != lost_status.end()) {
        (idle_past_ttl ? v.expired : v.lost) = true; // the server no longer knows the session
        start_over();
        return v;
    }
    if (std::find(s.expect.begin(), s.expect.end(), status) == s.expect.end()) {
        Verdict moved = give_up(status >= 500);
        moved.hit = v.hit, moved.miss = v.miss, moved.failed = true;
        return moved;
    }
    // The write counts before the checks: the answer to an add shows the item added.
    if (!s.write_state.empty()) m_written[s.write_state].push_back(m_value);
    for (const StateCheck& check : s.checks) {
        if (check_holds(check, response.body())) continue;
        (idle_past_ttl ? v.expired : v.lost) = true;
        start_over();
        return v;
    }
    for (const Capture& c : s.captures) {
        std::string value;
        if (c.source.from == ValueSource::From::header) {
            if (auto h = response.find(c.source.name); h != response.end()) value = std::string(h->value());
        } else if (c.source.from == ValueSource::From::cookie) {
            value = std::string(jar.value(c.source.name));
        } else {
            try {
                const auto root = nlohmann::json::parse(response.body()); // outlives the field found in it
                if (const auto* f = find_field(root, c.source.name)) value = as_text(*f);
            } catch (const std::exception&) {
            }
        }
        if (value.empty()) {
            // What later steps need is missing: the step did not do what was declared.
            Verdict moved = give_up(false);
            moved.hit = v.hit, moved.miss = v.miss, moved.failed = true;
            return moved;
        }
        m_captured[c.as] = std::move(value);
    }
    if (!s.clear_state.empty()) m_written[s.clear_state].clear(), m_in_doubt[s.clear_state].clear();
    if (m_step == 0 && !m_in_session) v.created = true, m_in_session = true;
    step_done(); // past the last step: the journey's end ends its session too
    return v;
}

} // namespace statelab
