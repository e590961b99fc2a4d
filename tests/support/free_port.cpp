#include "support/free_port.hpp"

#include <QTcpServer>
#include <QTcpSocket>

namespace statelab::test {

quint16 free_port() {
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0)) return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

bool port_accepts(quint16 port, int timeout_ms) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    const bool ok = socket.waitForConnected(timeout_ms);
    socket.abort();
    return ok;
}

} // namespace statelab::test
