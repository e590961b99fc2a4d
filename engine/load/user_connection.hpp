#pragma once
// A virtual user's HTTP/1.1 keep-alive connection, bound to the user's own loopback source
// address (127.x.y.z), so the balancer's ip-hash sees one address per user, as in real life.
#include "common/http_types.hpp"

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace statelab {

enum class TransportFailure { none, connect, reset, timeout };

struct Exchange {
    TransportFailure failure = TransportFailure::none;
    Response response; // valid when failure == none
    // Bytes of HTTP header that crossed the wire both ways (request line and fields, status
    // line and fields): what a cookie-borne session costs on every request.
    std::size_t header_bytes = 0;
    // When the whole answer was read, before anything judged it: the end of its latency (as wrk
    // reads its clock before its response script runs).
    std::chrono::steady_clock::time_point answered{};
};

// The cookies a browser would keep for the lab's one site.
class CookieJar {
public:
    void absorb(const Response& res); // Set-Cookie headers (Max-Age=0 deletes)
    std::string header() const;       // "SID=..; SRV=.." or empty
    void clear() { m_cookies.clear(); }
    std::size_t bytes() const;
    std::string_view value(std::string_view name) const; // empty when the jar has no such cookie

private:
    std::vector<std::pair<std::string, std::string>> m_cookies;
};

class UserConnection;

// What a request carries besides its line, cookies and key: somebody else's app may want a Host
// of its own (a virtual host, an ingress rule), a body and headers (a declared journey's step).
struct RequestExtras {
    std::string_view host;
    std::string_view body;
    const std::vector<std::pair<std::string, std::string>>* headers = nullptr;
};

// I/O objects bound to the worker's io_context by its concrete executor type: the generic
// any_io_executor is ~6x larger, and every idle user keeps a socket and a timer.
using UserExecutor = asio::io_context::executor_type;
using UserSocket = asio::basic_stream_socket<tcp, UserExecutor>;
using UserTimer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                             asio::wait_traits<std::chrono::steady_clock>, UserExecutor>;

// The request deadlines of every connection on one io_context, checked by one periodic timer
// (wrk's way). A timer per connection (beast::tcp_stream) cost every idle user ~0.5 KB of
// timer state; at 10,000 users that was a tenth of the engine's memory. Single-threaded: it
// and its connections belong to one io_context.
// The sockets the users may hold at once, every load thread together: under the process's
// open-file limit, so a crowd larger than the machine can serve waits for a socket (its request
// is late, and says so in its latency) instead of failing with "too many open files", and the
// engine keeps descriptors for its own files and children.
class SocketBudget {
public:
    explicit SocketBudget(int limit) : m_limit(limit) {}
    bool try_take() {
        int open = m_open.load(std::memory_order_relaxed);
        while (open < m_limit)
            if (m_open.compare_exchange_weak(open, open + 1, std::memory_order_relaxed)) return true;
        return false;
    }
    void give_back() { m_open.fetch_sub(1, std::memory_order_relaxed); }
    int limit() const { return m_limit; }
    // This process's soft RLIMIT_NOFILE, less a reserve (5%, at least 256) for everything else.
    static int for_this_process();

private:
    std::atomic<int> m_open{0};
    const int m_limit;
};

class DeadlineSweeper {
public:
    static constexpr std::chrono::milliseconds period{50}; // timeouts fire at most this late

    // The budget its connections take their sockets from (null: unbounded). Set before use.
    SocketBudget* budget = nullptr;

    // Runs until the io_context stops; the sweeper must outlive the io_context's handlers.
    awaitable<void> run();
    void watch(UserConnection* connection);
    void unwatch(UserConnection* connection);

private:
    std::vector<UserConnection*> m_watched;
};

class UserConnection {
public:
    UserConnection(UserExecutor executor, DeadlineSweeper& sweeper, asio::ip::address source, tcp::endpoint target);
    ~UserConnection();

    // Sends one request and reads the response, connecting first if needed. Any failure
    // closes the connection; the next call reconnects.
    awaitable<Exchange> send(http::verb verb, std::string_view target, const CookieJar& jar,
                             std::string_view idempotency_key, std::chrono::milliseconds timeout,
                             const RequestExtras* extras = nullptr);
    void close();
    // The user's address changes (a phone from Wi-Fi to mobile): the next request connects anew
    // from `source`.
    void move_to(asio::ip::address source) {
        close();
        m_source = source;
    }

private:
    friend class DeadlineSweeper;
    awaitable<bool> connect();
    void expire(); // the deadline passed: abort what is pending

    UserSocket m_socket;
    beast::flat_buffer m_buffer;
    DeadlineSweeper& m_sweeper;
    std::chrono::steady_clock::time_point m_deadline{};
    std::size_t m_watch_slot = 0; // index in the sweeper's list while watched
    bool m_watched = false;
    bool m_timed_out = false;
    asio::ip::address m_source;
    tcp::endpoint m_target;
    bool m_connected = false;
    bool m_holds_socket = false; // took one from the sweeper's budget, given back on close
};

// The n-th virtual user's source address: 127.0.0.2, 127.0.0.3, ... 127.0.1.0, ...
asio::ip::address_v4 user_source_address(std::size_t n);

} // namespace statelab
