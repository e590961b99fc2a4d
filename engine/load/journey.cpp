#include "load/journey.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_set>

namespace statelab {

static constexpr int max_attempts = 2; // a mutation is sent at most twice
// Adds whose outcome the user never saw, kept until a cart shows them (the oldest go first).
static constexpr std::size_t max_uncertain_items = 16;

RetryPolicy retry_policy_named(std::string_view name) {
    if (name == "naive") return RetryPolicy::naive;
    if (name == "idempotent") return RetryPolicy::idempotent;
    return RetryPolicy::none;
}

std::string_view Journey::key_to_send() const {
    return m_retry == RetryPolicy::naive ? std::string_view{} : std::string_view(m_step.idempotency_key);
}

// Another attempt at the current mutation, if the policy sends one and it has attempts left.
bool Journey::may_retry() {
    const bool mutation = !m_step.idempotency_key.empty();
    return mutation && m_retry != RetryPolicy::none && ++m_attempts < max_attempts;
}

// The cart without the extra copies of any item, in first-seen order: the user never adds the
// same name twice, so a second copy is a write the server applied twice.
static std::vector<std::string> without_copies(const std::vector<std::string>& items) {
    std::unordered_set<std::string_view> seen;
    std::vector<std::string> out;
    for (const auto& item : items)
        if (seen.insert(item).second) out.push_back(item);
    return out;
}

Journey::Journey(JourneyKind kind, std::string user, std::uint32_t seed)
    : m_kind(kind), m_user(std::move(user)), m_rng(seed) {
    plan(Step::Kind::login);
}

void Journey::plan(Step::Kind kind) {
    m_attempts = 0;
    m_step = Step{};
    m_step.kind = kind;
    const std::string key = m_user + "-" + std::to_string(++m_sequence);
    switch (kind) {
    case Step::Kind::login:
        m_step.verb = http::verb::post;
        m_step.target = "/login?user=" + m_user;
        break;
    case Step::Kind::add_item:
        m_step.verb = http::verb::post;
        // Unique per user (the sequence), so a copy in the cart is a duplicate, never a choice.
        m_step.item = "item-" + std::to_string(m_rng() % 1000) + "-" + std::to_string(m_sequence);
        if (m_item_bytes > m_step.item.size() + 1) m_step.item += "-" + std::string(m_item_bytes - m_step.item.size() - 1, 'x');
        m_step.target = "/cart/items?item=" + m_step.item;
        m_step.idempotency_key = key;
        break;
    case Step::Kind::view_cart:
        m_step.verb = http::verb::get;
        m_step.target = "/cart";
        break;
    case Step::Kind::checkout:
        m_step.verb = http::verb::post;
        m_step.target = "/checkout";
        m_step.idempotency_key = key;
        break;
    case Step::Kind::logout:
        m_step.verb = http::verb::post;
        m_step.target = "/logout";
        break;
    }
}

// shop: login -> add 1..5 -> view cart -> checkout -> logout -> login ...
// browse: login once, then view the cart, adding an item one time in ten.
void Journey::advance() {
    using K = Step::Kind;
    if (m_kind == JourneyKind::browse) {
        plan(m_rng() % 10 == 0 ? K::add_item : K::view_cart);
        return;
    }
    switch (m_step.kind) {
    case K::login:
        m_adds_left = 1 + static_cast<int>(m_rng() % 5);
        plan(K::add_item);
        break;
    case K::add_item:
        plan(--m_adds_left > 0 ? K::add_item : K::view_cart);
        break;
    case K::view_cart: plan(K::checkout); break;
    case K::checkout: plan(K::logout); break;
    case K::logout: plan(K::login); break;
    }
}

void Journey::start_over() {
    m_logged_in = false;
    m_expected.clear();
    m_uncertain_items.clear();
    m_uncertain_checkout = false;
    m_duplicates_known = 0;
    m_version_seen = 0;
    plan(Step::Kind::login);
}

// The carts the user can accept (`items` without copies): what it expects (plus the item just
// added), in any order. An add that never got an answer may have been applied, now or later
// (a hung node that wakes up), so its item may be there or not until a cart shows it; after a
// checkout that never got an answer, the empty cart is right too, until the next login.
bool Journey::matches(std::vector<std::string> items, const std::string* plus) const {
    std::sort(items.begin(), items.end());
    std::vector<std::string> uncertain = m_uncertain_items;
    std::sort(uncertain.begin(), uncertain.end());
    auto holds = [](const std::vector<std::string>& sorted, const std::string& x) {
        return std::binary_search(sorted.begin(), sorted.end(), x);
    };
    auto fits = [&](std::vector<std::string> required) {
        if (plus) required.push_back(*plus);
        std::sort(required.begin(), required.end());
        for (const auto& r : required)
            if (!holds(items, r)) return false;
        for (const auto& i : items)
            if (!holds(required, i) && !holds(uncertain, i)) return false;
        return true;
    };
    return fits(m_expected) || (m_uncertain_checkout && fits({}));
}

bool Journey::accept_cart(std::string_view body, const std::string* added, Verdict& verdict) {
    std::vector<std::string> items;
    std::int64_t version = -1; // carts say theirs; an order does not
    try {
        const auto cart = nlohmann::json::parse(body);
        items = cart.at("items").get<std::vector<std::string>>();
        if (auto v = cart.find("version"); v != cart.end() && v->is_number_unsigned()) version = v->get<std::int64_t>();
    } catch (const std::exception&) {
        start_over(); // an answer that is not our cart at all
        return false;
    }
    // An older version of the cart than one the user was shown already: a stale read (a cache
    // that served its copy unchecked, a copy that was behind). Counted apart; what the cart
    // holds is judged as ever, so the items it lacks are a loss too.
    if (version >= 0 && version < m_version_seen) verdict.stale = true;
    if (version >= 0) m_version_seen = version;
    std::vector<std::string> distinct = without_copies(items);
    if (!matches(distinct, added)) {
        start_over();
        return false;
    }
    // The cart is still the user's, with an item twice: counted once, when first seen.
    const std::size_t copies = items.size() - distinct.size();
    if (copies > m_duplicates_known) verdict.duplicates = static_cast<std::uint32_t>(copies - m_duplicates_known);
    m_duplicates_known = copies;
    std::erase_if(m_uncertain_items, [&](const std::string& item) {
        return std::find(distinct.begin(), distinct.end(), item) != distinct.end(); // applied after all
    });
    m_expected = std::move(distinct);
    // A checkout that got no answer stays in doubt after a cart that still holds the items: it
    // may be queued and applied later (at 100,000 users on a busy machine, after the look at the
    // cart and before the checkout sent again, which then found the cart empty). Until the user
    // logs in again, an empty cart is that checkout's doing.
    return true;
}

Verdict Journey::give_up_step(bool maybe_applied) {
    Verdict v;
    if (maybe_applied && m_step.kind == Step::Kind::add_item) {
        m_uncertain_items.push_back(m_step.item);
        if (m_uncertain_items.size() > max_uncertain_items) m_uncertain_items.erase(m_uncertain_items.begin());
    }
    if (m_step.kind == Step::Kind::login || m_step.kind == Step::Kind::logout) {
        start_over(); // a failed logout leaves a stale session; a fresh login is the way on
    } else if (m_kind == JourneyKind::shop && m_step.kind == Step::Kind::checkout) {
        if (maybe_applied) m_uncertain_checkout = true; // an earlier doubt stays
        plan(Step::Kind::view_cart); // did the order go through? the cart will tell
    } else {
        advance();
    }
    return v;
}

Verdict Journey::on_transport_failure() {
    if (may_retry()) return Verdict{.retry = true};
    return give_up_step(true);
}

Verdict Journey::on_response(int status, std::string_view x_session, std::string_view body, bool idle_past_ttl) {
    Verdict v = judge(status, x_session, body);
    if (v.lost && idle_past_ttl) v.lost = false, v.expired = true;
    if (status == 200) adopt_links(body);
    return v;
}

std::string Journey::target_to_send() const {
    if (m_link.empty()) return m_step.target;
    return m_step.target + (m_step.target.find('?') == std::string::npos ? "?" : "&") + m_link;
}

void Journey::adopt_links(std::string_view body) {
    if (body.find("\"links\"") == std::string_view::npos) return; // most modes write none: no parse
    try {
        const std::string cart = nlohmann::json::parse(body).at("links").at("cart").get<std::string>();
        const auto q = cart.find('?');
        m_link = q == std::string::npos ? std::string() : cart.substr(q + 1);
    } catch (const std::exception&) {
        // Not the links we know: keep the last ones.
    }
}

Verdict Journey::on_foreign_cart(int status, std::string_view x_session, std::string_view body) {
    Verdict v;
    v.hit = x_session == "hit";
    v.miss = x_session == "miss";
    if (status == 401 && m_logged_in) {
        v.lost = true; // on a server that never had its session
        start_over();
        return v;
    }
    if (status != 200) {
        v.failed = true;
        return v;
    }
    std::string owner;
    try {
        owner = nlohmann::json::parse(body).at("user").get<std::string>();
    } catch (const std::exception&) {
        v.failed = true;
        return v;
    }
    if (owner != m_user) {
        v.leaked = true; // into somebody else's session: it logs in again, as a user would
        start_over();
        m_link.clear();
    } else {
        adopt_links(body); // its own session, on whichever server the link named
    }
    return v;
}

Verdict Journey::judge(int status, std::string_view x_session, std::string_view body) {
    Verdict v;
    v.hit = x_session == "hit";
    v.miss = x_session == "miss";
    if (status == 401 && m_logged_in) {
        // The server no longer knows our session: whatever we had in the cart is gone.
        v.lost = true;
        start_over();
        return v;
    }
    if (status != 200) {
        v.failed = true;
        if (status >= 500 && may_retry()) {
            v.retry = true;
            return v;
        }
        // A 4xx refused the step, unless an earlier attempt of it went unanswered or got a 5xx.
        Verdict moved = give_up_step(status >= 500 || m_attempts > 0);
        moved.hit = v.hit, moved.miss = v.miss, moved.failed = true;
        return moved;
    }
    switch (m_step.kind) {
    case Step::Kind::login:
        v.created = true;
        m_logged_in = true;
        m_expected.clear();
        m_uncertain_items.clear();
        m_uncertain_checkout = false;
        m_duplicates_known = 0;
        m_version_seen = 0;
        break;
    // A wrong cart is lost whatever X-Session claims, and hit/miss still say what it claimed: a
    // server that quietly hands out a new cart (X-Session: new) did not find the session.
    case Step::Kind::add_item: {
        const std::string item = m_step.item;
        v.lost = !accept_cart(body, &item, v);
        break;
    }
    case Step::Kind::view_cart: v.lost = !accept_cart(body, nullptr, v); break;
    case Step::Kind::checkout:
        v.lost = !accept_cart(body, nullptr, v); // the order lists what the cart held
        if (!v.lost) m_expected.clear(), m_duplicates_known = 0;
        break;
    case Step::Kind::logout:
        m_logged_in = false;
        m_expected.clear();
        break;
    }
    if (!v.lost) advance(); // a lost session has started over at a login already
    return v;
}

} // namespace statelab
