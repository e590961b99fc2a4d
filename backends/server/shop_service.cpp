#include "server/shop_service.hpp"

#include "common/cookies.hpp"
#include "common/http_util.hpp"
#include "server/session_id.hpp"

#include <nlohmann/json.hpp>

namespace statelab {

static constexpr std::string_view sid_cookie = "SID";

ShopService::ShopService(ShopConfig config, SessionStore& store, std::function<bool()> draining)
    : m_config(std::move(config)), m_store(store), m_draining(std::move(draining)) {}

Response ShopService::reply(const Request& req, http::status status, std::string body,
                            const char* session_state, std::string_view content_type) {
    Response res = make_response(req, status, std::move(body), content_type);
    res.set("X-Served-By", m_config.node_name);
    res.set("X-Session", session_state);
    res.set(http::field::cache_control, "no-store");
    const unsigned code = res.result_int();
    if (code >= 500) NodeMetrics::add(m_metrics.responses_5xx);
    else if (code >= 400) NodeMetrics::add(m_metrics.responses_4xx);
    return res;
}

std::string ShopService::with_links(std::string body, std::string_view sid) const {
    if (!m_config.url_links || body.empty() || body.back() != '}') return body;
    std::string params = "node=" + m_config.node_name;
    if (m_config.session_in_url) params += "&sid=" + std::string(sid);
    body.pop_back();
    body += std::string(body.size() > 1 ? "," : "") + "\"links\":{\"cart\":\"/cart?" + params + "\",\"add\":\"/cart/items?" +
            params + "\",\"checkout\":\"/checkout?" + params + "\"}}";
    return body;
}

static std::string error_json(std::string_view message) {
    return "{\"error\":" + json_quote(message) + "}";
}

Response ShopService::store_failure(const Request& req, StoreStatus status, const std::string& detail) {
    switch (status) {
    case StoreStatus::unavailable:
        NodeMetrics::add(m_metrics.store_errors);
        return reply(req, http::status::service_unavailable,
                     error_json("session store unavailable: " + detail), "store-unavailable");
    case StoreStatus::too_large:
        // Nothing was stored (a login's new session, or the grown one): no session state served.
        return reply(req, http::status::payload_too_large, error_json(detail), "none");
    case StoreStatus::not_found:
        NodeMetrics::add(m_metrics.session_misses);
        return reply(req, http::status::unauthorized,
                     error_json("session not found on " + m_config.node_name + ": log in again"), "miss");
    case StoreStatus::conflict:
        // Nothing of this request was applied: the client may read the cart and try again.
        return reply(req, http::status::conflict, error_json(detail + ": read it again"), "hit");
    case StoreStatus::ok:
        break;
    }
    return reply(req, http::status::internal_server_error, error_json("unexpected store state"), "none");
}

ShopService::Lookup ShopService::require_session(const Request& req) {
    Lookup out;
    std::optional<std::string_view> sid;
    std::optional<std::string> sid_in_url; // sticky-url with the id in the URL: it wins over the cookie
    if (m_config.session_in_url) sid_in_url = query_param(req.target(), "sid");
    if (sid_in_url && !sid_in_url->empty()) sid = *sid_in_url;
    else sid = request_cookie(req, sid_cookie);
    if (!sid || sid->empty()) {
        out.refusal = reply(req, http::status::unauthorized,
                            error_json("no session: POST /login?user=NAME first"), "none");
        return out;
    }
    out.sid = std::string(*sid);
    LoadResult loaded = m_store.load(out.sid);
    if (loaded.status != StoreStatus::ok) {
        out.refusal = store_failure(req, loaded.status, loaded.detail);
        return out;
    }
    NodeMetrics::add(m_metrics.session_hits);
    out.session = std::move(loaded.session);
    return out;
}

bool ShopService::is_probe(std::string_view path) { return path == "/healthz" || path == "/metrics"; }

Response ShopService::handle(const Request& req) {
    const std::string_view path = target_path(req.target());
    // Probes are counted apart, so a node's request count equals what the clients sent it.
    NodeMetrics::add(is_probe(path) ? m_metrics.probe_requests : m_metrics.requests);
    const auto method = req.method();
    auto only = [&](http::verb allowed) {
        if (method == allowed) return std::optional<Response>{};
        Response res = reply(req, http::status::method_not_allowed,
                             error_json(std::string(path) + " wants " + std::string(http::to_string(allowed))),
                             "none");
        res.set(http::field::allow, http::to_string(allowed));
        return std::optional<Response>{std::move(res)};
    };

    struct Route {
        std::string_view path;
        http::verb verb;
        Response (ShopService::*handler)(const Request&);
    };
    static constexpr Route routes[] = {
        {"/cart", http::verb::get, &ShopService::show_cart},
        {"/cart/items", http::verb::post, &ShopService::add_item},
        {"/login", http::verb::post, &ShopService::login},
        {"/checkout", http::verb::post, &ShopService::checkout},
        {"/logout", http::verb::post, &ShopService::logout},
        {"/metrics", http::verb::get, &ShopService::metrics_page},
    };
    if (std::string why; !query_is_valid(req.target(), &why))
        return reply(req, http::status::bad_request, error_json(why), "none"); // before anything is created
    if (path == "/healthz") {
        if (auto refused = only(http::verb::get)) return std::move(*refused);
        return m_draining() ? reply(req, http::status::service_unavailable, "draining\n", "none", "text/plain")
                            : reply(req, http::status::ok, "ok\n", "none", "text/plain");
    }
    for (const auto& route : routes) {
        if (route.path != path) continue;
        if (auto refused = only(route.verb)) return std::move(*refused);
        return (this->*route.handler)(req);
    }
    return reply(req, http::status::not_found, error_json("no such page: " + std::string(path)), "none");
}

Response ShopService::login(const Request& req) {
    auto user = query_param(req.target(), "user");
    if (!user || user->empty())
        return reply(req, http::status::bad_request, error_json("login needs ?user=NAME"), "none");
    // Rotate: whatever session the client had is destroyed before a new id is issued.
    if (auto old = request_cookie(req, sid_cookie); old && !old->empty()) m_store.destroy(*old);

    Session session;
    session.user = std::move(*user);
    session.padding.assign(m_config.session_padding, 'x');
    SaveResult created = m_store.create(session);
    if (created.status != StoreStatus::ok) return store_failure(req, created.status, created.detail);
    NodeMetrics::add(m_metrics.sessions_created);
    Response res = reply(req, http::status::ok, with_links(cart_json(session), created.cookie), "new");
    res.set(http::field::set_cookie, session_cookie(sid_cookie, created.cookie));
    return res;
}

Response ShopService::show_cart(const Request& req) {
    Lookup found = require_session(req);
    if (found.refusal) return std::move(*found.refusal);
    return reply(req, http::status::ok, with_links(cart_json(found.session), found.sid), "hit");
}

Response ShopService::mutate(const Request& req, const std::function<std::string(Session&, std::string*)>& change) {
    Lookup found = require_session(req);
    if (found.refusal) return std::move(*found.refusal);
    const std::string key(header_value(req, "Idempotency-Key"));
    if (!key.empty()) {
        if (const std::string* earlier = found.session.remembered_reply(key)) {
            Response res = reply(req, http::status::ok, with_links(*earlier, found.sid), "hit");
            res.set("Idempotent-Replayed", "true");
            return res;
        }
    }
    found.session.version += 1;
    std::string too_large;
    std::string body = change(found.session, &too_large);
    if (!too_large.empty()) return reply(req, http::status::payload_too_large, error_json(too_large), "hit");
    if (!key.empty()) found.session.remember_reply(key, body);
    SaveResult saved = m_store.save_if_unchanged(found.sid, found.session);
    if (saved.status != StoreStatus::ok) return store_failure(req, saved.status, saved.detail);
    Response res = reply(req, http::status::ok, with_links(std::move(body), found.sid), "hit");
    if (!saved.cookie.empty()) res.set(http::field::set_cookie, session_cookie(sid_cookie, saved.cookie));
    return res;
}

Response ShopService::add_item(const Request& req) {
    auto item = query_param(req.target(), "item");
    if (!item || item->empty())
        return reply(req, http::status::bad_request, error_json("add needs ?item=NAME"), "none");
    if (item->size() > max_item_bytes)
        return reply(req, http::status::payload_too_large,
                     error_json("an item name is at most " + std::to_string(max_item_bytes) + " bytes"), "none");
    return mutate(req, [&](Session& s, std::string* too_large) {
        if (s.items.size() >= max_cart_items) {
            *too_large = "a cart holds at most " + std::to_string(max_cart_items) + " items";
            return std::string();
        }
        s.items.push_back(*item);
        return cart_json(s);
    });
}

Response ShopService::checkout(const Request& req) {
    return mutate(req, [&](Session& s, std::string*) {
        nlohmann::json order{{"order", random_hex(8)}, {"user", s.user}, {"items", s.items},
                             {"served_by", m_config.node_name}};
        s.items.clear();
        return order.dump();
    });
}

Response ShopService::logout(const Request& req) {
    Lookup found = require_session(req);
    if (found.refusal) return std::move(*found.refusal);
    StoreStatus status = m_store.destroy(found.sid);
    if (status == StoreStatus::unavailable)
        return store_failure(req, status, "could not delete the session");
    Response res = reply(req, http::status::ok, "{\"logged_out\":true}", "hit");
    res.set(http::field::set_cookie, expired_cookie(sid_cookie));
    return res;
}

Response ShopService::metrics_page(const Request& req) {
    return reply(req, http::status::ok,
                 m_metrics.prometheus_text(m_config.node_name, m_store.name(), m_store.stats(), m_draining()),
                 "none", "text/plain; version=0.0.4");
}

} // namespace statelab
