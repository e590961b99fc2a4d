#include "common/loopback_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace statelab {

namespace {
int remaining_ms(LoopbackSocket::Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - LoopbackSocket::Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}
} // namespace

LoopbackSocket::LoopbackSocket(std::uint16_t port, Clock::time_point deadline) : m_deadline(deadline) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    connect_to(AF_INET, &address, sizeof address);
}

LoopbackSocket::LoopbackSocket(const std::string& path, Clock::time_point deadline) : m_deadline(deadline) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof address.sun_path) {
        m_error = "connect: no such local socket path (empty or too long)";
        return;
    }
    std::memcpy(address.sun_path, path.data(), path.size());
    connect_to(AF_UNIX, &address, sizeof address);
}

void LoopbackSocket::connect_to(int family, const void* address, unsigned length) {
    m_fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (m_fd < 0) {
        fail("socket");
        return;
    }
    if (::connect(m_fd, static_cast<const sockaddr*>(address), length) == 0) return;
    if (errno != EINPROGRESS) {
        fail("connect");
        return;
    }
    if (!wait_for(POLLOUT)) return;
    int so_error = 0;
    socklen_t so_length = sizeof so_error;
    ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &so_error, &so_length);
    if (so_error != 0) {
        errno = so_error;
        fail("connect");
    }
}

LoopbackSocket::~LoopbackSocket() {
    if (m_fd >= 0) ::close(m_fd);
}

bool LoopbackSocket::send_all(std::string_view data) {
    while (ok() && !data.empty()) {
        const ssize_t sent = ::send(m_fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (sent >= 0) data.remove_prefix(static_cast<std::size_t>(sent));
        else if (errno == EAGAIN) wait_for(POLLOUT);
        else if (errno != EINTR) fail("send");
    }
    return ok();
}

bool LoopbackSocket::receive_some(std::string& into) {
    while (ok()) {
        char buffer[4096];
        const ssize_t got = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (got > 0) {
            into.append(buffer, static_cast<std::size_t>(got));
            return true;
        }
        if (got == 0) return false;
        if (errno == EAGAIN) wait_for(POLLIN);
        else if (errno != EINTR) fail("recv");
    }
    return false;
}

bool LoopbackSocket::wait_for(short events) {
    pollfd pfd{m_fd, events, 0};
    const int ready = ::poll(&pfd, 1, remaining_ms(m_deadline));
    if (ready > 0) return true;
    if (ready == 0) m_error = "timed out";
    else fail("poll");
    return false;
}

void LoopbackSocket::fail(const char* what) { m_error = std::string(what) + ": " + std::strerror(errno); }

} // namespace statelab
