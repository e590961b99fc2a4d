#include "metrics/node_poller.hpp"

#include "common/logged_completion.hpp"

namespace statelab {

NodePoller::NodePoller(asio::any_io_executor executor, std::chrono::milliseconds timeout)
    : m_executor(std::move(executor)), m_timeout(timeout) {}

void NodePoller::poll(const std::vector<std::pair<std::string, std::uint16_t>>& nodes) {
    for (const auto& [name, port] : nodes) asio::co_spawn(m_executor, poll_one(name, port), log_if_failed{"a node's poll"});
}

std::map<std::string, ServerReport> NodePoller::latest() const {
    std::lock_guard lock(m_mutex);
    return m_latest;
}

void NodePoller::forget(const std::string& name) {
    std::lock_guard lock(m_mutex);
    m_latest.erase(name);
    m_latest_at.erase(name);
}

awaitable<void> NodePoller::poll_one(std::string name, std::uint16_t port) {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(m_timeout);
    error_code ec;
    co_await stream.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), port),
                                  asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return; // a dead or paused node: keep its last report
    Request req{http::verb::get, "/metrics", 11};
    req.set(http::field::host, "statelab");
    req.keep_alive(false);
    co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    beast::flat_buffer buffer;
    Response res;
    co_await http::async_read(stream, buffer, res, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || res.result() != http::status::ok) co_return;
    ServerReport report = parse_server_report(res.body());
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(m_mutex);
    auto& [previous, previous_at] = m_latest_at[name];
    if (report.copies_sent >= 0 && previous.copies_sent >= 0 && report.copies_sent >= previous.copies_sent &&
        now > previous_at) // (a restarted node starts its count again: no rate from that pair)
        report.copies_per_s = static_cast<double>(report.copies_sent - previous.copies_sent) /
                              std::chrono::duration<double>(now - previous_at).count();
    if (report.cache_hits >= previous.cache_hits && report.cache_misses >= previous.cache_misses &&
        previous.cache_hits >= 0 && previous.cache_misses >= 0) {
        const auto hits = report.cache_hits - previous.cache_hits;
        const auto loads = hits + report.cache_misses - previous.cache_misses;
        if (loads > 0) report.cache_hit_ratio = static_cast<double>(hits) / static_cast<double>(loads);
    }
    previous = report;
    previous_at = now;
    m_latest[name] = report;
}

std::map<std::string, ServerReport> NodePoller::poll_now(const std::vector<std::pair<std::string, std::uint16_t>>& nodes) {
    asio::io_context ctx;
    NodePoller poller(ctx.get_executor());
    poller.poll(nodes);
    ctx.run();
    return poller.latest();
}

} // namespace statelab
