#pragma once
// A loopback HTTP/1.1 server: one io_context and one SO_REUSEPORT acceptor per thread (the way
// wrk and HAProxy use threads: no shared queue, no locks on the hot path), keep-alive, strict
// limits, and a graceful drain on SIGTERM/SIGINT.
#include "common/http_types.hpp"
#include "common/request_framing.hpp"

#include <atomic>
#include <cstdint>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace statelab {

struct DrainPolicy {
    // After SIGTERM: keep serving (health reports 503, every response says Connection: close)
    // for `grace` so balancers notice, then stop accepting and exit once idle or at `deadline`.
    std::chrono::milliseconds grace{1000};
    std::chrono::milliseconds deadline{4500};
};

class HttpServer {
public:
    HttpServer(std::uint16_t port, unsigned threads, RequestHandler handler,
               ServerLimits limits = {}, DrainPolicy drain = {});
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    std::uint16_t port() const { return m_port; }
    bool draining() const { return m_draining.load(std::memory_order_relaxed); }
    const ServerLimits& limits() const { return m_limits; }
    const RequestHandler& handler() const { return m_handler; }

    // Prints `listening 127.0.0.1:<port>`, serves until drained or stopped, then returns.
    void run();
    // Starts the graceful drain (as SIGTERM does). Thread-safe.
    void begin_drain();
    // Stops at once. Thread-safe.
    void stop();

    // Called on each worker thread after its loop ends, while the io_contexts still exist
    // (for thread_local state holding sockets). Set before run().
    std::function<void()> on_thread_exit;

    // Executors of the per-thread loops, e.g. to run timers beside the server.
    asio::io_context& context(std::size_t i) { return *m_contexts[i]; }
    std::size_t thread_count() const { return m_contexts.size(); }

    // Requests being handled right now, over all threads.
    std::atomic<int>& in_flight() { return m_in_flight; }
    // Accepts that failed (out of file descriptors and the like): the connection waits in the
    // kernel's queue meanwhile. A balancer says so in its status.
    std::uint64_t accept_failures() const { return m_accept_failures.load(std::memory_order_relaxed); }

private:
    void open_acceptors(std::uint16_t port);
    awaitable<void> accept_loop(tcp::acceptor& acceptor);
    awaitable<void> drain_then_stop();

    RequestHandler m_handler;
    ServerLimits m_limits;
    DrainPolicy m_drain;
    std::vector<std::unique_ptr<asio::io_context>> m_contexts;
    std::vector<std::unique_ptr<tcp::acceptor>> m_acceptors;
    std::unique_ptr<asio::signal_set> m_signals;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_draining{false};
    std::atomic<int> m_in_flight{0};
    std::atomic<std::uint64_t> m_accept_failures{0};
};

} // namespace statelab
