#include "load/user_connection.hpp"

#include <netinet/in.h>

#include <sys/resource.h>

#include <algorithm>

namespace statelab {

asio::ip::address_v4 user_source_address(std::size_t n) {
    const std::uint32_t offset = static_cast<std::uint32_t>(n % 0xFFFFF0u) + 2; // skip 127.0.0.0/1
    return asio::ip::address_v4((127u << 24) | offset);
}

int SocketBudget::for_this_process() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1 << 20;
    const auto files = static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 1 << 20));
    return std::max(16, files - std::max(256, files / 20));
}

void CookieJar::absorb(const Response& res) {
    for (auto it = res.find(http::field::set_cookie); it != res.end() && it->name() == http::field::set_cookie; ++it) {
        std::string_view value = it->value();
        const std::string_view pair = value.substr(0, value.find(';'));
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos) continue;
        std::string name(pair.substr(0, eq));
        std::string val(pair.substr(eq + 1));
        const bool expired = value.find("Max-Age=0") != std::string_view::npos;
        std::erase_if(m_cookies, [&](const auto& c) { return c.first == name; });
        // As a browser: a cookie over 4096 bytes is not kept (RFC 6265's least a browser keeps).
        if (!expired && !val.empty() && name.size() + val.size() <= 4096) m_cookies.emplace_back(std::move(name), std::move(val));
    }
    // ... and the oldest go when there are too many: a site setting ever new cookies never
    // grows the Cookie header past what one header can carry.
    while (m_cookies.size() > 50 || bytes() > 60'000) m_cookies.erase(m_cookies.begin());
}

std::string CookieJar::header() const {
    std::string out;
    for (const auto& [name, value] : m_cookies) {
        if (!out.empty()) out += "; ";
        out.append(name).append("=").append(value);
    }
    return out;
}

std::string_view CookieJar::value(std::string_view name) const {
    for (const auto& [n, v] : m_cookies)
        if (n == name) return v;
    return {};
}

std::size_t CookieJar::bytes() const {
    std::size_t n = 0;
    for (const auto& [name, value] : m_cookies) n += name.size() + value.size() + 2;
    return n;
}

awaitable<void> DeadlineSweeper::run() {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    error_code ec;
    for (;;) {
        timer.expires_after(period);
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        const auto now = std::chrono::steady_clock::now();
        // expire() only cancels: completions run later, so the list does not change here.
        for (UserConnection* c : m_watched)
            if (!c->m_timed_out && c->m_deadline <= now) c->expire();
    }
}

void DeadlineSweeper::watch(UserConnection* c) {
    if (c->m_watched) return;
    c->m_watched = true;
    c->m_watch_slot = m_watched.size();
    m_watched.push_back(c);
}

void DeadlineSweeper::unwatch(UserConnection* c) {
    if (!c->m_watched) return;
    UserConnection* last = m_watched.back();
    m_watched[c->m_watch_slot] = last;
    last->m_watch_slot = c->m_watch_slot;
    m_watched.pop_back();
    c->m_watched = false;
}

namespace {
// While alive, the connection's request has a deadline; a coroutine destroyed mid-request
// (engine shutdown) still takes it off the sweeper's list.
struct Deadline {
    DeadlineSweeper& sweeper;
    UserConnection* connection;
    ~Deadline() { sweeper.unwatch(connection); }
};
} // namespace

UserConnection::UserConnection(UserExecutor executor, DeadlineSweeper& sweeper, asio::ip::address source,
                               tcp::endpoint target)
    : m_socket(executor), m_sweeper(sweeper), m_source(source), m_target(target) {}

UserConnection::~UserConnection() {
    m_sweeper.unwatch(this);
    if (m_holds_socket) m_sweeper.budget->give_back();
}

void UserConnection::expire() {
    m_timed_out = true;
    error_code ec;
    m_socket.cancel(ec);
}

void UserConnection::close() {
    error_code ec;
    m_socket.close(ec);
    if (m_holds_socket) m_sweeper.budget->give_back(), m_holds_socket = false;
    m_buffer.clear();
    m_connected = false;
}

awaitable<bool> UserConnection::connect() {
    error_code ec;
    // A socket from the budget first; while none is free, wait (up to the request's deadline).
    while (m_sweeper.budget && !m_holds_socket) {
        if (m_sweeper.budget->try_take()) {
            m_holds_socket = true;
            break;
        }
        if (std::chrono::steady_clock::now() >= m_deadline) {
            m_timed_out = true;
            co_return false;
        }
        UserTimer wait(m_socket.get_executor());
        wait.expires_after(std::chrono::milliseconds(10));
        co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    m_socket.open(m_target.protocol(), ec);
    if (!ec) m_socket.set_option(asio::socket_base::reuse_address(true), ec);
    // The source port is chosen at connect, not at bind: bind(addr, 0) searches the ephemeral
    // range for a port free for every destination, connect only for this one (Linux's
    // IP_BIND_ADDRESS_NO_PORT; a connection per request pays it on every request).
    if (!ec) m_socket.set_option(asio::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>(true), ec);
    if (!ec) m_socket.bind(tcp::endpoint(m_source, 0), ec);
    if (ec) {
        close();
        co_return false;
    }
    co_await m_socket.async_connect(m_target, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        close();
        co_return false;
    }
    m_socket.set_option(tcp::no_delay(true), ec);
    m_connected = true;
    co_return true;
}

awaitable<Exchange> UserConnection::send(http::verb verb, std::string_view target, const CookieJar& jar,
                                         std::string_view idempotency_key, std::chrono::milliseconds timeout,
                                         const RequestExtras* extras) {
    Exchange out;
    m_deadline = std::chrono::steady_clock::now() + timeout;
    m_timed_out = false;
    m_sweeper.watch(this);
    const Deadline deadline{m_sweeper, this};
    if (!m_connected && !co_await connect()) {
        out.failure = m_timed_out ? TransportFailure::timeout : TransportFailure::connect;
        co_return out;
    }
    Request req{verb, target, 11};
    req.set(http::field::host, extras && !extras->host.empty() ? extras->host : std::string_view("statelab"));
    if (std::string cookies = jar.header(); !cookies.empty()) req.set(http::field::cookie, cookies);
    if (!idempotency_key.empty()) req.set("Idempotency-Key", idempotency_key);
    if (extras && extras->headers)
        for (const auto& [name, value] : *extras->headers) req.set(name, value);
    if (extras && !extras->body.empty()) {
        req.body() = extras->body;
        if (req.find(http::field::content_type) == req.end()) req.set(http::field::content_type, "application/json");
    }
    req.keep_alive(true);
    req.prepare_payload();

    error_code ec;
    const std::size_t written = co_await http::async_write(m_socket, req, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
        http::response_parser<http::string_body> parser;
        parser.body_limit(1024 * 1024);
        const std::size_t read = co_await http::async_read(m_socket, m_buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) {
            out.answered = std::chrono::steady_clock::now();
            out.response = parser.release();
            // Header bytes: what was written and read less the bodies.
            out.header_bytes = (written - std::min(written, req.body().size())) +
                               (read - std::min(read, out.response.body().size()));
            if (!out.response.keep_alive()) close();
            // An idle user holds no read buffer: at 10,000 users that is megabytes.
            else if (m_buffer.size() == 0) m_buffer.shrink_to_fit();
            co_return out;
        }
    }
    out.failure = m_timed_out ? TransportFailure::timeout : TransportFailure::reset;
    close();
    co_return out;
}

} // namespace statelab
