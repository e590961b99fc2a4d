#pragma once
// What a virtual user does next, and whether what came back is the cart it expects. Pure logic
// (no I/O), so the verdicts that decide "lost session" are unit-tested on their own.
#include "common/http_types.hpp"

#include <optional>
#include <random>
#include <string>
#include <vector>

namespace statelab {

enum class JourneyKind { shop, browse };

// What a user does when an add or a checkout fails or goes unanswered (TrafficSettings::retry).
enum class RetryPolicy {
    none,      // gives up on the step: the next cart tells whether it was applied
    naive,     // sends it again as it is, with no Idempotency-Key: the server may apply it twice
    idempotent // sends it again with the same Idempotency-Key: the server applies it once
};
RetryPolicy retry_policy_named(std::string_view name); // unknown names are none

struct Step {
    enum class Kind { login, add_item, view_cart, checkout, logout } kind = Kind::login;
    http::verb verb = http::verb::post;
    std::string target;
    std::string idempotency_key; // mutations have one, so a retry is applied once
    std::string item;            // add_item: a name the user never adds twice
};

// What one response meant, from the client's side.
struct Verdict {
    bool hit = false;     // X-Session: hit
    bool miss = false;    // X-Session: miss
    bool created = false; // a login succeeded
    bool lost = false;    // the client's session is gone or its cart is wrong
    bool expired = false; // gone, but the user had been idle past the session TTL: not lost
    bool leaked = false;  // the user was shown a cart that is somebody else's (a shared link)
    bool stale = false;   // the user was shown an older version of its cart than it had seen
    bool failed = false;  // an error answer (4xx/5xx other than a session miss)
    bool retry = false;   // send the same step again
    // Extra copies of items in the cart that the user added once (a write applied twice), seen
    // for the first time in this answer.
    std::uint32_t duplicates = 0;
};

class Journey {
public:
    Journey(JourneyKind kind, std::string user, std::uint32_t seed);

    const Step& current() const { return m_step; }
    // Taken from the next failure on: the traffic panel changes it live.
    void set_retry_policy(RetryPolicy policy) { m_retry = policy; }
    // Bytes of each item added from the next add on (0 = a short name); at most 256.
    void set_item_bytes(std::size_t bytes) { m_item_bytes = bytes; }
    // current()'s target with the parameters of the links the server wrote last (sticky-url).
    std::string target_to_send() const;
    // Those parameters ("node=node-2&sid=..."), as another user could be sent them; empty when
    // the server writes no links.
    const std::string& link() const { return m_link; }
    // Judges the answer to a look at the cart through a link another user posted (sticky-url),
    // sent instead of current(). Somebody else's cart is a leak; a 401 means the link carried
    // the user to a server without its session. Either way it starts over.
    Verdict on_foreign_cart(int status, std::string_view x_session, std::string_view body);
    // The Idempotency-Key to send with current(): none for a naive client.
    std::string_view key_to_send() const;
    // Judges the answer to current() and moves on. `x_session` is the X-Session header.
    // `idle_past_ttl`: the user sent nothing for longer than the session TTL, so a session gone
    // now expired (the server did what it was told), and is not counted lost.
    Verdict on_response(int status, std::string_view x_session, std::string_view body, bool idle_past_ttl = false);
    // The request got no answer (connect error, reset, timeout).
    Verdict on_transport_failure();

    JourneyKind kind() const { return m_kind; }
    bool logged_in() const { return m_logged_in; }
    const std::vector<std::string>& expected_items() const { return m_expected; }

private:
    Verdict judge(int status, std::string_view x_session, std::string_view body);
    void adopt_links(std::string_view body); // a browser follows the links it was given
    void plan(Step::Kind kind);
    void advance();                // the step after a successful current()
    void start_over();             // the session is gone: log in again
    bool matches(std::vector<std::string> items, const std::string* plus) const;
    bool may_retry();
    // True when `body` is a cart the user can accept; otherwise its session is gone and it
    // starts over. Sets the verdict's duplicates (copies of items shown for the first time) and
    // stale (an older version than one seen already).
    bool accept_cart(std::string_view body, const std::string* added, Verdict& verdict);
    // Retries exhausted or refused: move on. `maybe_applied`: the server may have done it (no
    // answer, a 5xx) and the next cart may show it or not; a refusal (4xx) leaves no doubt.
    Verdict give_up_step(bool maybe_applied);

    JourneyKind m_kind;
    std::string m_user;
    std::minstd_rand m_rng;
    Step m_step;
    bool m_logged_in = false;
    std::vector<std::string> m_expected;
    std::vector<std::string> m_uncertain_items;  // adds whose outcome we never saw
    bool m_uncertain_checkout = false;           // a checkout whose outcome we never saw
    int m_adds_left = 0;
    int m_attempts = 0;
    std::uint64_t m_sequence = 0;
    RetryPolicy m_retry = RetryPolicy::none;
    std::size_t m_item_bytes = 0;
    std::string m_link; // the query of the last links the server wrote
    std::size_t m_duplicates_known = 0; // extra copies in the cart already counted
    std::int64_t m_version_seen = 0;    // the newest cart version shown to the user
};

} // namespace statelab
