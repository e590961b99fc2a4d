#pragma once
// The tiny shop of DESIGN.md's HTTP contract: login, cart, add item, checkout, logout, health
// and metrics. Every response says which node served it and what happened to the session.
#include "common/http_types.hpp"
#include "server/node_metrics.hpp"
#include "server/session_store.hpp"

#include <functional>

namespace statelab {

struct ShopConfig {
    std::string node_name = "node";
    std::size_t session_padding = 0;
    // sticky-url: every answer's links carry this node's name (`?node=node-2`), the way a
    // jsessionid URL does; the balancer routes by it.
    bool url_links = false;
    // ... and the session id too (`&sid=...`), read back from the URL before the cookie: a link
    // shared with somebody else hands them the session.
    bool session_in_url = false;
};

// What one client may make a node hold: a cart of 500 items of 15 KB each (7.5 MB, sent back on
// every add) is refused with 413 long before.
inline constexpr std::size_t max_cart_items = 100;
inline constexpr std::size_t max_item_bytes = 256;

class ShopService {
public:
    ShopService(ShopConfig config, SessionStore& store, std::function<bool()> draining);

    Response handle(const Request& req);
    // /healthz and /metrics: asked by the balancer and the engine, not by users.
    static bool is_probe(std::string_view path);
    const NodeMetrics& metrics() const { return m_metrics; }
    NodeMetrics& metrics() { return m_metrics; }

private:
    // A session looked up from the request's SID cookie, or the response that refuses it.
    struct Lookup {
        std::string sid;
        Session session;
        std::optional<Response> refusal;
    };
    Lookup require_session(const Request& req);

    Response login(const Request& req);
    Response show_cart(const Request& req);
    Response add_item(const Request& req);
    Response checkout(const Request& req);
    Response logout(const Request& req);
    Response metrics_page(const Request& req);

    // Applies `change` to the session unless this Idempotency-Key was seen; saves; answers.
    // `change` returns the reply body, or sets `*too_large` (a cap it would pass: 413, nothing saved).
    Response mutate(const Request& req, const std::function<std::string(Session&, std::string* too_large)>& change);

    // `body` (a JSON object) with the links to the cart's pages, when the node writes them.
    std::string with_links(std::string body, std::string_view sid) const;
    Response reply(const Request& req, http::status status, std::string body, const char* session_state,
                   std::string_view content_type = "application/json");
    Response store_failure(const Request& req, StoreStatus status, const std::string& detail);

    ShopConfig m_config;
    SessionStore& m_store;
    std::function<bool()> m_draining;
    NodeMetrics m_metrics;
};

} // namespace statelab
