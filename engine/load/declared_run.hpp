#pragma once
// One virtual user walking a declared journey (model/declared_journey.hpp): what it sends next,
// and what each answer means. Pure logic, like Journey, so the verdicts are unit-tested alone.
#include "load/journey.hpp"
#include "model/declared_journey.hpp"

#include <map>
#include <random>
#include <string>
#include <vector>

namespace statelab {

class CookieJar;

// The longest path or header value a declared request sends (see DeclaredRun::next_request).
inline constexpr std::size_t max_field_bytes = 65'000;

struct DeclaredRequest {
    http::verb verb = http::verb::get;
    std::string target, body;
    std::vector<std::pair<std::string, std::string>> headers;
    // Not to be sent, and why: a captured value that would break out of its header.
    std::string refused;
};

class DeclaredRun {
public:
    DeclaredRun(DeclaredJourneyPtr journey, std::string user, std::uint32_t seed);

    // The current step's request, its placeholders filled ({n} counts the user's requests, so
    // every call is a new request; a retry is not sent).
    DeclaredRequest next_request();
    // Judges the answer to the request next_request() made and moves on. `jar` has absorbed the
    // answer's cookies already (captures may read them).
    Verdict on_response(const Response& response, const CookieJar& jar, bool idle_past_ttl = false);
    Verdict on_transport_failure();
    // The request was refused before sending (DeclaredRequest::refused): the session cannot go
    // on with that value, a new one starts.
    Verdict on_refused();
    // The think time after the step just judged: its own, else `traffic_think_ms`.
    int think_ms(int traffic_think_ms) const { return m_last_think < 0 ? traffic_think_ms : m_last_think; }
    bool in_session() const { return m_in_session; }
    std::size_t step_index() const { return m_step; }
    const std::vector<std::string>& written(const std::string& state) const;

private:
    const DeclaredStep& step() const { return m_journey->steps[m_step]; }
    void enter(std::size_t index); // draws the step's repeat count; skips steps done 0 times
    void step_done();              // one more time, or the next step
    void start_over();             // a new session from the first step
    std::string expand(const std::string& text, bool in_path) const;
    // A state check against the answer's body; moves values that were in doubt into the state.
    bool check_holds(const StateCheck& check, const std::string& body);
    Verdict give_up(bool maybe_applied);

    DeclaredJourneyPtr m_journey;
    std::string m_user;
    std::minstd_rand m_rng;
    std::size_t m_step = 0;
    int m_times_left = 0;
    int m_last_think = -1;
    std::uint64_t m_n = 0;
    bool m_in_session = false;
    static constexpr int max_read_retries = 3; // a checking read sent again after a lost answer
    int m_read_retries = 0;
    std::string m_value; // what the request in flight writes
    std::map<std::string, std::string> m_captured;
    std::map<std::string, std::vector<std::string>> m_written;
    // Writes whose answer never came (or was a 5xx): applied or not, the next check will tell.
    std::map<std::string, std::vector<std::string>> m_in_doubt;
};

} // namespace statelab
