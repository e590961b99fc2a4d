#pragma once
// A journey the user declares in the scenario, for an app that is not the lab's shop: HTTP steps
// in order, each with what it sends, what it expects back, what it captures, and state checks
// ("the values I wrote must come back here"), which is how the client counts a lost session on
// any app. The lab's own shop is one such declaration (resources/scenarios/own-app-shop.json).
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace statelab {

// Where a value comes from in an answer.
struct ValueSource {
    enum class From { json, header, cookie } from = From::json;
    std::string name; // a dotted JSON path ("order.id"), a header or a cookie name
};

// A value the step takes from its answer, usable as {as} in the steps after it.
struct Capture {
    std::string as;
    ValueSource source;
};

// The JSON field `field` (an array of strings, or one string) must hold the values the user
// wrote to its state list `state`: all of them (`exact`: and nothing else).
struct StateCheck {
    std::string field;
    std::string state;  // "holds": every value written to this state list is in the field
    bool exact = false; // ... and nothing else
    // "equals": instead of a state list, the field is this value (placeholders filled in: the
    // user's own name, "{user}", with no write-on-login to check it against).
    std::optional<std::string> equals;
};

struct DeclaredStep {
    std::string method = "GET";
    std::string path; // with {user}, {n}, {value} and captured names
    std::string body; // same placeholders; sent only when not empty
    std::vector<std::pair<std::string, std::string>> headers;
    int repeat_min = 1, repeat_max = 1; // the step is done a number of times drawn in this range
    int think_ms = -1;                  // after this step; -1 = the traffic's think_ms
    std::vector<int> expect{200};       // the statuses that mean it worked
    std::vector<Capture> captures;
    // The value this step writes: expanded once per request ({value} in path and body), added to
    // the state list `write_state` once the answer says it worked.
    std::string write_state, write_value;
    std::vector<StateCheck> checks; // judged with this step's own write already counted
    std::string clear_state;        // emptied once the step worked (a checkout empties the cart)
};

struct DeclaredJourney {
    std::vector<DeclaredStep> steps; // the first starts a session; after the last, it starts over
    std::vector<int> lost_status{401}; // an answer with one of these: the server forgot the session
    std::string json;                  // the declaration as written, to save the scenario again
};

using DeclaredJourneyPtr = std::shared_ptr<const DeclaredJourney>;

} // namespace statelab
