#include "load/journey.hpp"

#include <nlohmann/json.hpp>

namespace statelab {

static constexpr int max_attempts = 2; // a mutation is sent at most twice (same key)

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
        m_step.item = "item-" + std::to_string(m_rng() % 1000);
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
    m_uncertain_item.reset();
    m_uncertain_checkout = false;
    plan(Step::Kind::login);
}

// The carts the user can accept: what it expects (plus the item just added); if an earlier
// add or checkout never got an answer, it may or may not have been applied, so the carts with
// that add, or the empty cart after that checkout, are right too.
bool Journey::matches(const std::vector<std::string>& items, const std::string* plus) const {
    auto with = [&](std::vector<std::string> cart, const std::string* extra) {
        if (extra) cart.push_back(*extra);
        if (plus) cart.push_back(*plus);
        return cart;
    };
    if (items == with(m_expected, nullptr)) return true;
    if (m_uncertain_item && items == with(m_expected, &*m_uncertain_item)) return true;
    return m_uncertain_checkout && items == with({}, nullptr);
}

bool Journey::accept_cart(std::string_view body, const std::string* added) {
    std::vector<std::string> items;
    try {
        items = nlohmann::json::parse(body).at("items").get<std::vector<std::string>>();
    } catch (const std::exception&) {
        start_over(); // an answer that is not our cart at all
        return false;
    }
    if (!matches(items, added)) {
        start_over();
        return false;
    }
    m_expected = std::move(items);
    m_uncertain_item.reset();
    m_uncertain_checkout = false;
    return true;
}

Verdict Journey::give_up_step(bool maybe_applied) {
    Verdict v;
    if (maybe_applied && m_step.kind == Step::Kind::add_item) m_uncertain_item = m_step.item;
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
    const bool mutation = !m_step.idempotency_key.empty();
    if (mutation && ++m_attempts < max_attempts) return Verdict{.retry = true};
    return give_up_step(true);
}

Verdict Journey::on_response(int status, std::string_view x_session, std::string_view body) {
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
        const bool mutation = !m_step.idempotency_key.empty();
        if (mutation && status >= 500 && ++m_attempts < max_attempts) {
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
        m_uncertain_item.reset();
        m_uncertain_checkout = false;
        break;
    // A wrong cart is lost whatever X-Session claims, and hit/miss still say what it claimed: a
    // server that quietly hands out a new cart (X-Session: new) did not find the session.
    case Step::Kind::add_item: {
        const std::string item = m_step.item;
        v.lost = !accept_cart(body, &item);
        break;
    }
    case Step::Kind::view_cart: v.lost = !accept_cart(body, nullptr); break;
    case Step::Kind::checkout:
        v.lost = !accept_cart(body, nullptr); // the order lists what the cart held
        if (!v.lost) m_expected.clear();
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
