#include "cli/bench_command.hpp"

#include "bench.hpp"
#include "cli/cli_options.hpp"

#include <cstdio>
#include <iostream>

namespace statelab {

int bench_command(const std::vector<std::string>& args) {
    std::string url;
    int connections = 50;
    double duration = 5;
    unsigned threads = 0;
    po::options_description options("bench options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("url", po::value(&url)->required(), "http://127.0.0.1:PORT/path (loopback only)")
        ("connections,c", po::value(&connections)->default_value(50), "keep-alive connections")
        ("duration,d", po::value(&duration)->default_value(5), "seconds")
        ("threads,t", po::value(&threads)->default_value(0), "threads (0 = one per core)")
        ("close", "a new connection for each request (Connection: close), like wrk -H \"Connection: close\"");
    po::variables_map vm;
    parse_subcommand(args, options, vm, "usage: statelab-cli bench --url http://127.0.0.1:PORT/path [options]\n"
                                        "Raw GET load on one URL, keep-alive or (--close) a connection per request;\n"
                                        "prints requests/s and latency.");

    BenchConfig config;
    const std::string prefix = "http://";
    if (url.rfind(prefix, 0) != 0) cli_usage_error("--url must start with http://, got '" + url + "'");
    std::string rest = url.substr(prefix.size());
    const auto slash = rest.find('/');
    config.path = slash == std::string::npos ? "/" : rest.substr(slash);
    const std::string hostport = rest.substr(0, slash);
    const auto colon = hostport.rfind(':');
    config.host = hostport.substr(0, colon);
    config.port = 80;
    if (colon != std::string::npos) {
        // 1..65535, digits only: `99999`, `0` or `abc` is a mistake to say, not a port to guess.
        const std::string port = hostport.substr(colon + 1);
        const bool digits = !port.empty() && port.size() <= 5 &&
                            port.find_first_not_of("0123456789") == std::string::npos;
        const long value = digits ? std::stol(port) : 0;
        if (value < 1 || value > 65535) cli_usage_error("--url port must be 1..65535, got '" + port + "'");
        config.port = static_cast<std::uint16_t>(value);
    }
    if (config.host == "localhost") config.host = "127.0.0.1";
    require_loopback_host(config.host, "--url");
    if (connections < 1 || connections > 20000) cli_usage_error("--connections must be 1..20000");
    if (duration <= 0 || duration > 3600) cli_usage_error("--duration must be in (0, 3600] seconds");
    config.connections = connections;
    config.threads = threads;
    config.close_each = vm.count("close") > 0;
    config.duration = std::chrono::milliseconds(static_cast<long>(duration * 1000));

    std::cerr << "statelab-cli: " << connections << (config.close_each ? " connections (one a request)" : " connections") << " for " << duration << " s against " << url << "\n";
    BenchResult r = run_bench(config);
    std::printf("requests: %llu in %.2f s\n", static_cast<unsigned long long>(r.requests), r.seconds);
    std::printf("requests/s: %.2f\n", r.requests_per_s());
    std::printf("latency_ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", r.latency.quantile_ms(0.5),
                r.latency.quantile_ms(0.9), r.latency.quantile_ms(0.99), static_cast<double>(r.latency.max_us()) / 1000);
    std::printf("errors: %llu  timeouts: %llu  non-2xx: %llu\n", static_cast<unsigned long long>(r.errors),
                static_cast<unsigned long long>(r.timeouts), static_cast<unsigned long long>(r.non_2xx));
    return r.requests > 0 ? 0 : 1;
}

} // namespace statelab
