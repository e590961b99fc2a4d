#include "bench.hpp"

#include "common/http_types.hpp"

#include <sstream>
#include <thread>
#include <vector>

namespace statelab {

namespace {

struct ThreadResult {
    std::uint64_t requests = 0, errors = 0, non_2xx = 0;
    int in_flight = 0; // sent and not yet answered (or failed)
    LatencyHistogram latency;
};

// The request as bytes, built once: every request of a raw bench is the same, so each send is
// one write of a ready buffer, as in wrk (no serializer per request).
std::string request_bytes(const BenchConfig& config) {
    http::request<http::empty_body> req{http::verb::get, config.path, 11};
    req.set(http::field::host, config.host);
    req.keep_alive(!config.close_each);
    std::ostringstream out;
    out << req;
    return out.str();
}

// No per-operation timers (each beast::tcp_stream operation arms one): the run is bounded by
// the io_context being stopped shortly after the end (see run_bench), which abandons any
// request a server never answers.
awaitable<void> bench_connection(const BenchConfig& config, const std::string& request,
                                 std::chrono::steady_clock::time_point end, ThreadResult& out) {
    auto executor = co_await asio::this_coro::executor;
    const tcp::endpoint target(asio::ip::make_address(config.host), config.port);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    error_code ec;
    // A refused connect is retried after a pause that doubles up to 200 ms (wrk waits too): a
    // closed port must not be hit 100,000 times a second.
    std::chrono::milliseconds backoff{0};
    asio::steady_timer pause(executor);
    while (std::chrono::steady_clock::now() < end) {
        tcp::socket socket(executor);
        co_await socket.async_connect(target, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            ++out.errors;
            backoff = std::min(std::chrono::milliseconds(200), std::max(std::chrono::milliseconds(5), backoff * 2));
            pause.expires_after(std::min<std::chrono::steady_clock::duration>(backoff, end - std::chrono::steady_clock::now()));
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        backoff = std::chrono::milliseconds(0);
        socket.set_option(tcp::no_delay(true), ec);
        buffer.clear();
        while (std::chrono::steady_clock::now() < end) {
            const auto sent = std::chrono::steady_clock::now();
            ++out.in_flight;
            co_await asio::async_write(socket, asio::buffer(request), asio::redirect_error(asio::use_awaitable, ec));
            if (!ec) {
                res = {};
                co_await http::async_read(socket, buffer, res, asio::redirect_error(asio::use_awaitable, ec));
            }
            --out.in_flight;
            if (ec) break;
            ++out.requests;
            if (res.result_int() >= 300) ++out.non_2xx;
            out.latency.record_us(static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - sent).count()));
            if (!res.keep_alive()) break;
        }
        if (ec && std::chrono::steady_clock::now() < end) ++out.errors;
    }
}

} // namespace

BenchResult run_bench(const BenchConfig& config) {
    unsigned threads = config.threads ? config.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = std::min<unsigned>(threads, static_cast<unsigned>(std::max(1, config.connections)));
    std::vector<ThreadResult> results(threads);
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + config.duration;
    const std::string request = request_bytes(config);
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            asio::io_context ctx(1);
            // The bound on the whole run: a server that stops answering cannot hold us past it.
            asio::steady_timer stop(ctx, end + std::chrono::seconds(2));
            stop.async_wait([&ctx](error_code ec) {
                if (ec != asio::error::operation_aborted) ctx.stop();
            });
            int running = 0;
            for (int c = static_cast<int>(t); c < config.connections; c += static_cast<int>(threads)) {
                ++running;
                asio::co_spawn(ctx, bench_connection(config, request, end, results[t]), [&](std::exception_ptr) {
                    if (--running == 0) stop.cancel(); // all done in time: no need to wait for the bound
                });
            }
            ctx.run();
        });
    }
    for (auto& w : workers) w.join();
    BenchResult total;
    total.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (auto& r : results) {
        total.requests += r.requests, total.errors += r.errors, total.non_2xx += r.non_2xx;
        total.timeouts += static_cast<std::uint64_t>(r.in_flight); // abandoned when the io_context stopped
        total.latency.merge(r.latency);
    }
    return total;
}

} // namespace statelab
