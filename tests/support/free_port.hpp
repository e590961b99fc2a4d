#pragma once
#include <QtGlobal>

namespace statelab::test {

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close). For
// programs that cannot pick their own port and report it, like redis-server and haproxy.
quint16 free_port();

// Whether something accepts TCP connections on 127.0.0.1:port right now.
bool port_accepts(quint16 port, int timeout_ms = 200);

} // namespace statelab::test
