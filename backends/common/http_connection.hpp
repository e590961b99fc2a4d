#pragma once
#include "common/http_types.hpp"

namespace statelab {

class HttpServer;

// Serves one client connection: reads requests with the server's limits, answers each through
// the server's handler, keeps the connection alive while both sides want it.
awaitable<void> serve_http_connection(tcp::socket socket, HttpServer& server);

} // namespace statelab
