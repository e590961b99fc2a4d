#include "target_address.hpp"

#include "common/http_types.hpp"
#include "common/logged_completion.hpp"
#include "model/cluster_error.hpp"

namespace statelab {

TargetAddress resolve_target(const Target& target, bool allow_remote) {
    asio::io_context context;
    tcp::resolver resolver(context);
    error_code ec;
    const auto results = resolver.resolve(target.host, std::to_string(target.port), ec);
    if (ec || results.empty())
        throw ClusterError("cannot resolve the target's host '" + target.host + "': " + (ec ? ec.message() : "no address"));
    // Every address the name has must be loopback: a name that also points elsewhere could send
    // the traffic there.
    TargetAddress out;
    out.port = target.port;
    // IPv4 first: the users send from 127.x.y.z source addresses, and a stock Debian hosts file
    // resolves localhost to ::1 first (every connect failed from there).
    out.address = results.begin()->endpoint().address().to_string();
    for (const auto& entry : results)
        if (entry.endpoint().address().is_v4()) {
            out.address = entry.endpoint().address().to_string();
            break;
        }
    for (const auto& entry : results)
        if (!entry.endpoint().address().is_loopback()) out.loopback = false;
    if (!out.loopback && !allow_remote)
        throw ClusterError("the target " + target.url + " is not a loopback address (" + out.address +
                           "); the lab sends traffic only to 127.0.0.0/8 unless you pass --allow-remote");
    return out;
}

std::string target_answer_problem(const Target& target, const TargetAddress& address, std::chrono::milliseconds timeout) {
    asio::io_context context;
    beast::tcp_stream stream(context);
    std::string problem = "no answer within " + std::to_string(timeout.count()) + " ms";
    auto ask = [&]() -> awaitable<void> {
        error_code ec;
        stream.expires_after(timeout);
        co_await stream.async_connect(tcp::endpoint(asio::ip::make_address(address.address), address.port),
                                      asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            problem = ec == beast::error::timeout ? problem : ec.message();
            co_return;
        }
        Request req{http::verb::get, "/", 11};
        req.set(http::field::host, target.host + ":" + std::to_string(target.port));
        req.set(http::field::user_agent, "statelab (is the target there?)");
        req.keep_alive(false);
        co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
        beast::flat_buffer buffer;
        http::response_parser<http::empty_body> head;
        head.skip(true); // the status line is enough
        if (!ec) co_await http::async_read_header(stream, buffer, head, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) problem = ec == beast::error::timeout ? problem : "no HTTP answer: " + ec.message();
        else problem.clear(); // any status: somebody answers HTTP there
    };
    asio::co_spawn(context, ask(), log_if_failed{"the target's probe"});
    context.run();
    return problem;
}

} // namespace statelab
