#include "cluster/target_address.hpp"

#include "cluster/supervisor.hpp" // ClusterError
#include "common/http_types.hpp"

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
    out.address = results.begin()->endpoint().address().to_string();
    for (const auto& entry : results)
        if (!entry.endpoint().address().is_loopback()) out.loopback = false;
    if (!out.loopback && !allow_remote)
        throw ClusterError("the target " + target.url + " is not a loopback address (" + out.address +
                           "); the lab sends traffic only to 127.0.0.0/8 unless you pass --allow-remote");
    return out;
}

} // namespace statelab
