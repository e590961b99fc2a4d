#include "common/http_server.hpp"

#include "common/http_connection.hpp"
#include "common/logged_completion.hpp"

#include <cstdlib>
#include <iostream>
#include <sys/socket.h>

namespace statelab {

HttpServer::HttpServer(std::uint16_t port, unsigned threads, RequestHandler handler,
                       ServerLimits limits, DrainPolicy drain)
    : m_handler(std::move(handler)), m_limits(limits), m_drain(drain) {
    if (threads == 0) threads = 1;
    for (unsigned i = 0; i < threads; ++i) m_contexts.push_back(std::make_unique<asio::io_context>(1));
    open_acceptors(port);
    m_signals = std::make_unique<asio::signal_set>(*m_contexts[0], SIGTERM, SIGINT);
    m_signals->async_wait([this](const error_code& ec, int) {
        if (!ec) begin_drain();
    });
}

HttpServer::~HttpServer() {
    stop();
    // Connection coroutines hold references into the contexts: destroy acceptors first.
    m_acceptors.clear();
    m_signals.reset();
}

void HttpServer::open_acceptors(std::uint16_t port) {
    for (auto& ctx : m_contexts) {
        auto acceptor = std::make_unique<tcp::acceptor>(*ctx);
        error_code ec;
        tcp::endpoint endpoint{asio::ip::address_v4::loopback(), port};
        acceptor->open(endpoint.protocol(), ec);
        if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec && m_contexts.size() > 1) {
            // One acceptor per thread on the same port; the kernel spreads connections.
            int one = 1;
            if (::setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
                ec.assign(errno, boost::system::system_category());
        }
        if (!ec) acceptor->bind(endpoint, ec);
        if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
            std::cerr << "cannot listen on 127.0.0.1:" << port << ": " << ec.message() << "\n";
            std::exit(1);
        }
        port = acceptor->local_endpoint().port(); // the next threads share the port picked here
        m_acceptors.push_back(std::move(acceptor));
    }
    m_port = port;
}

awaitable<void> HttpServer::accept_loop(tcp::acceptor& acceptor) {
    // Everything the kernel has queued, up to a batch a turn (HAProxy's maxaccept, 64), then the
    // loop's other work: one accept a turn, behind 10,000 users' ready handlers, let a crowd's
    // connects (its start, its reconnects after a stall) overflow the listen queue; the SYNs the
    // kernel dropped came back seconds later and timed out in bursts of 5,000.
    constexpr int batch = 64;
    acceptor.non_blocking(true);
    for (;;) {
        error_code ec;
        bool queue_empty = false;
        for (int n = 0; n < batch; ++n) {
            tcp::socket socket = acceptor.accept(ec);
            if (ec == asio::error::would_block || ec == asio::error::try_again) {
                queue_empty = true;
                break;
            }
            if (!acceptor.is_open()) co_return;
            if (ec) {
                m_accept_failures.fetch_add(1, std::memory_order_relaxed);
                // Out of descriptors and the like: back off briefly instead of spinning.
                asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(20));
                co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                break;
            }
            socket.set_option(tcp::no_delay(true), ec);
            asio::co_spawn(acceptor.get_executor(), serve_http_connection(std::move(socket), *this),
                           log_if_failed{"a connection"});
        }
        // Wait for the next connection only once the queue is empty (its readiness is an edge:
        // connections left queued would raise none); else let the others run, then go on.
        if (queue_empty)
            co_await acceptor.async_wait(tcp::acceptor::wait_read, asio::redirect_error(asio::use_awaitable, ec));
        else
            co_await asio::post(acceptor.get_executor(), asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    }
}

void HttpServer::run() {
    for (auto& acceptor : m_acceptors)
        asio::co_spawn(acceptor->get_executor(), accept_loop(*acceptor), log_if_failed{"the accept loop"});
    // What the socket is bound to, read back from it (not a fixed string): tests and the
    // engine check it, so a server bound to 0.0.0.0 would say so.
    const tcp::endpoint bound = m_acceptors.front()->local_endpoint();
    std::cout << "listening " << bound.address().to_string() << ":" << bound.port() << std::endl;

    std::vector<std::thread> workers;
    for (std::size_t i = 1; i < m_contexts.size(); ++i)
        workers.emplace_back([this, ctx = m_contexts[i].get()] {
            ctx->run();
            if (on_thread_exit) on_thread_exit();
        });
    m_contexts[0]->run();
    for (auto& ctx : m_contexts) ctx->stop();
    for (auto& w : workers) w.join();
}

void HttpServer::begin_drain() {
    if (m_draining.exchange(true)) return;
    asio::co_spawn(*m_contexts[0], drain_then_stop(), log_if_failed{"the drain"});
}

awaitable<void> HttpServer::drain_then_stop() {
    using namespace std::chrono;
    const auto started = steady_clock::now();
    asio::steady_timer timer(co_await asio::this_coro::executor);
    error_code ec;
    timer.expires_after(m_drain.grace);
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    for (auto& acceptor : m_acceptors)
        asio::post(acceptor->get_executor(), [a = acceptor.get()] {
            error_code ignored;
            a->close(ignored);
        });
    while (m_in_flight.load() > 0 && steady_clock::now() - started < m_drain.deadline) {
        timer.expires_after(milliseconds(20));
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    stop();
}

void HttpServer::stop() {
    for (auto& ctx : m_contexts) ctx->stop();
}

} // namespace statelab
