#include "balancer/proxy.hpp"

#include "balancer/upstream_pool.hpp"
#include "common/cookies.hpp"
#include "common/http_util.hpp"

#include <iostream>

namespace statelab {

Proxy::Proxy(const BackendTable& backends, Router& router, ProxyOptions options)
    : m_backends(backends), m_router(router), m_options(options) {}

awaitable<Proxy::Attempt> Proxy::exchange(std::size_t index, beast::tcp_stream& stream, Request& req) {
    Attempt attempt;
    error_code ec;
    stream.expires_after(m_options.server_timeout);
    co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        if (req.method() == http::verb::head) parser.skip(true);
        co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) {
            attempt.outcome = Outcome::answered;
            attempt.response = parser.release();
            co_return attempt;
        }
    }
    attempt.timed_out = ec == beast::error::timeout;
    attempt.error = attempt.timed_out ? "timeout" : ec.message();
    co_return attempt;
}

bool replay_is_safe(const Request& req) {
    switch (req.method()) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::options:
    case http::verb::put:
    case http::verb::delete_:
        return true;
    default:
        return req.find("Idempotency-Key") != req.end();
    }
}

awaitable<Proxy::Attempt> Proxy::forward(std::size_t index, Request& req) {
    Backend& backend = m_backends.at(index);
    UpstreamPool& pool = UpstreamPool::for_this_thread();

    if (auto pooled = pool.take(index)) {
        Attempt attempt = co_await exchange(index, *pooled, req);
        if (attempt.outcome == Outcome::answered) {
            if (attempt.response.keep_alive()) pool.give_back(index, std::move(*pooled));
            co_return attempt;
        }
        if (attempt.timed_out) co_return attempt; // a hung node: waiting twice helps nobody
        pool.forget(index);
        // The request was written: the backend may have applied it before the connection
        // failed (a node killed mid-request). Only a request that is safe to apply twice is
        // sent again (RFC 9110 idempotent methods, or one carrying an Idempotency-Key); any
        // other gets a 502 and the client decides. A POST /logout replayed elsewhere would
        // turn into a 401, a login replayed into a second session.
        if (!replay_is_safe(req)) co_return attempt;
    }

    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(m_options.connect_timeout);
    error_code ec;
    co_await stream.async_connect(backend.endpoint, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        Attempt refused;
        refused.outcome = Outcome::refused;
        refused.timed_out = ec == beast::error::timeout;
        refused.error = refused.timed_out ? "connect timeout" : ec.message();
        co_return refused;
    }
    stream.socket().set_option(tcp::no_delay(true), ec);
    Attempt attempt = co_await exchange(index, stream, req);
    if (attempt.outcome == Outcome::answered && attempt.response.keep_alive())
        pool.give_back(index, std::move(stream));
    co_return attempt;
}

awaitable<Response> Proxy::handle(Request& req, const Peer& peer) {
    const RoutingKeys keys = routing_keys(req, peer.address);
    const bool client_keep_alive = req.keep_alive();
    const unsigned client_version = req.version();
    // HAProxy's `indirect`: the server never sees our routing cookie.
    if (m_router.options().policy == Policy::cookie) strip_request_cookie(req, Router::server_cookie);
    std::string forwarded(header_value(req, "X-Forwarded-For"));
    forwarded += forwarded.empty() ? "" : ", ";
    forwarded += peer.address.to_string();
    req.set("X-Forwarded-For", forwarded);
    req.version(11);
    req.keep_alive(true);

    std::vector<std::size_t> tried;
    std::string last_error = "no healthy backend";
    for (std::size_t round = 0; round < m_backends.size(); ++round) {
        Route route = m_router.pick(keys, tried);
        if (!route.backend) break;
        // Sent elsewhere after a connect to the backend tried last failed.
        if (!tried.empty()) m_backends.at(tried.back()).redispatched.fetch_add(1, std::memory_order_relaxed);
        const std::size_t index = *route.backend;
        Backend& backend = m_backends.at(index);
        backend.active.fetch_add(1, std::memory_order_relaxed);
        backend.requests.fetch_add(1, std::memory_order_relaxed);
        Attempt attempt = co_await forward(index, req);
        backend.active.fetch_sub(1, std::memory_order_relaxed);

        if (attempt.outcome == Outcome::answered) {
            Response res = std::move(attempt.response);
            if (route.insert_cookie) {
                // HAProxy's `insert nocache`: pin the client, and keep shared caches out of it.
                res.insert(http::field::set_cookie, std::string(Router::server_cookie) + "=" + backend.name + "; Path=/");
                // Like HAProxy: only a cacheable answer needs marking; keep a stricter one.
                const std::string cache(res[http::field::cache_control]);
                if (cache.empty()) res.set(http::field::cache_control, "private");
                else if (cache.find("no-store") == std::string::npos && cache.find("private") == std::string::npos)
                    res.set(http::field::cache_control, cache + ", private");
            }
            res.version(client_version);
            res.keep_alive(client_keep_alive);
            co_return res;
        }
        backend.failures.fetch_add(1, std::memory_order_relaxed);
        last_error = backend.name + ": " + attempt.error;
        if (attempt.outcome == Outcome::failed) {
            // The request reached a backend that then failed: it may have been applied, so it
            // is not replayed elsewhere (the client decides, with its Idempotency-Key).
            Response res = make_response(req, http::status::bad_gateway, "bad gateway: " + last_error + "\n");
            res.version(client_version);
            res.keep_alive(client_keep_alive);
            co_return res;
        }
        // A refused connect: the node is gone, stop sending it traffic now, not at the next
        // check. A connect that timed out is a node too busy to accept (its listen queue full):
        // its checks decide; taking it out at once moved every sticky user of a merely busy node.
        if (!attempt.timed_out && backend.mark_down_passively()) {
            backend.set_reason("request: " + attempt.error);
            std::cerr << "statelab-balancer: " << backend.name << " is down (" << attempt.error << ")\n";
        }
        UpstreamPool::for_this_thread().forget(index);
        tried.push_back(index);
        if (m_router.options().failover == Failover::none) break;
    }
    Response res = make_response(req, http::status::service_unavailable,
                                 "no backend available: " + last_error + "\n");
    res.version(client_version);
    res.keep_alive(client_keep_alive);
    co_return res;
}

} // namespace statelab
