#include "balancer/health_checker.hpp"

#include "common/logged_completion.hpp"

#include <iostream>

namespace statelab {

HealthChecker::HealthChecker(const BackendTable& backends, std::chrono::milliseconds interval,
                             std::chrono::milliseconds timeout)
    : m_backends(backends), m_interval(interval), m_timeout(timeout) {}

HealthChecker::~HealthChecker() { stop(); }

void HealthChecker::start() {
    for (std::size_t i = 0; i < m_backends.size(); ++i) watch(i);
    // Each backend's loop always waits on a timer or a socket: the context never runs out of work.
    m_thread = std::thread([this] { m_context.run(); });
}

void HealthChecker::stop() {
    m_context.stop();
    if (m_thread.joinable()) m_thread.join();
}

void HealthChecker::watch(std::size_t index) {
    asio::co_spawn(m_context, check_loop(m_backends.at(index)), log_if_failed{"a health check loop"});
}

awaitable<std::optional<std::string>> HealthChecker::probe(Backend& backend) {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    // A paused (SIGSTOPped) node accepts connections in the kernel but never answers: the
    // timeout is what makes it fail.
    stream.expires_after(m_timeout);
    auto failed = [this](const char* step, const error_code& ec) -> std::optional<std::string> {
        if (ec == beast::error::timeout)
            return std::string(step) + " timed out after " + std::to_string(m_timeout.count()) + " ms";
        return std::string(step) + ": " + ec.message();
    };
    error_code ec;
    co_await stream.async_connect(backend.endpoint, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return failed("connect", ec);
    Request req{http::verb::get, "/healthz", 11};
    req.set(http::field::host, "statelab-balancer");
    req.set(http::field::user_agent, "statelab-balancer health check");
    req.keep_alive(false);
    co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return failed("send", ec);
    beast::flat_buffer buffer;
    Response res;
    co_await http::async_read(stream, buffer, res, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return failed("answer", ec);
    if (res.result() != http::status::ok) co_return "answered HTTP " + std::to_string(res.result_int());
    co_return std::nullopt;
}

awaitable<void> HealthChecker::check_loop(Backend& backend) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (!backend.removed.load()) {
        const auto trouble = co_await probe(backend);
        if (!trouble) {
            backend.fail_streak.store(0);
            if (backend.ok_streak.fetch_add(1) + 1 >= rise && !backend.up.exchange(true)) {
                backend.set_reason("health check passed " + std::to_string(rise) + " times in a row");
                std::cerr << "statelab-balancer: " << backend.name << " is up\n";
            }
        } else {
            backend.ok_streak.store(0);
            if (backend.fail_streak.fetch_add(1) + 1 >= fall && backend.up.exchange(false)) {
                backend.set_reason("health check: " + *trouble);
                std::cerr << "statelab-balancer: " << backend.name << " is down (health check: " << *trouble << ")\n";
            }
        }
        timer.expires_after(m_interval);
        error_code ec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;
    }
}

} // namespace statelab
