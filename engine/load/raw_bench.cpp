#include "load/raw_bench.hpp"

#include "common/http_types.hpp"

#include <thread>
#include <vector>

namespace statelab {

namespace {

struct ThreadResult {
    std::uint64_t requests = 0, errors = 0, non_2xx = 0;
    LatencyHistogram latency;
};

awaitable<void> bench_connection(const BenchConfig& config, std::chrono::steady_clock::time_point end,
                                 ThreadResult& out) {
    auto executor = co_await asio::this_coro::executor;
    const tcp::endpoint target(asio::ip::make_address(config.host), config.port);
    http::request<http::empty_body> req{http::verb::get, config.path, 11};
    req.set(http::field::host, config.host);
    req.keep_alive(true);
    beast::flat_buffer buffer;
    error_code ec;
    while (std::chrono::steady_clock::now() < end) {
        beast::tcp_stream stream(executor);
        stream.expires_at(end + std::chrono::seconds(2));
        co_await stream.async_connect(target, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            ++out.errors;
            continue;
        }
        stream.socket().set_option(tcp::no_delay(true), ec);
        buffer.clear();
        while (std::chrono::steady_clock::now() < end) {
            const auto sent = std::chrono::steady_clock::now();
            co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;
            http::response<http::string_body> res;
            co_await http::async_read(stream, buffer, res, asio::redirect_error(asio::use_awaitable, ec));
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
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            asio::io_context ctx(1);
            for (int c = static_cast<int>(t); c < config.connections; c += static_cast<int>(threads))
                asio::co_spawn(ctx, bench_connection(config, end, results[t]), asio::detached);
            ctx.run();
        });
    }
    for (auto& w : workers) w.join();
    BenchResult total;
    total.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (auto& r : results) {
        total.requests += r.requests, total.errors += r.errors, total.non_2xx += r.non_2xx;
        total.latency.merge(r.latency);
    }
    return total;
}

} // namespace statelab
