#include "cluster/probes.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace statelab {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// A non-blocking socket to 127.0.0.1:port whose every step waits with poll() until `deadline`.
class LoopbackSocket {
public:
    LoopbackSocket(std::uint16_t port, Clock::time_point deadline) : m_deadline(deadline) {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (m_fd < 0) {
            fail("socket");
            return;
        }
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(port);
        if (::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) return;
        if (errno != EINPROGRESS) {
            fail("connect");
            return;
        }
        if (!wait_for(POLLOUT)) return;
        int so_error = 0;
        socklen_t length = sizeof so_error;
        ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &so_error, &length);
        if (so_error != 0) {
            errno = so_error;
            fail("connect");
        }
    }
    ~LoopbackSocket() {
        if (m_fd >= 0) ::close(m_fd);
    }
    LoopbackSocket(const LoopbackSocket&) = delete;
    LoopbackSocket& operator=(const LoopbackSocket&) = delete;

    bool ok() const { return m_error.empty(); }
    const std::string& error() const { return m_error; }

    bool send_all(std::string_view data) {
        while (ok() && !data.empty()) {
            const ssize_t sent = ::send(m_fd, data.data(), data.size(), MSG_NOSIGNAL);
            if (sent >= 0) data.remove_prefix(static_cast<std::size_t>(sent));
            else if (errno == EAGAIN) wait_for(POLLOUT);
            else if (errno != EINTR) fail("send");
        }
        return ok();
    }
    // Appends what arrives to `into`; false at EOF, on error or at the deadline.
    bool receive_some(std::string& into) {
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

private:
    bool wait_for(short events) {
        pollfd pfd{m_fd, events, 0};
        const int ready = ::poll(&pfd, 1, remaining_ms(m_deadline));
        if (ready > 0) return true;
        if (ready == 0) m_error = "timed out";
        else fail("poll");
        return false;
    }
    void fail(const char* what) { m_error = std::string(what) + ": " + std::strerror(errno); }

    int m_fd = -1;
    Clock::time_point m_deadline;
    std::string m_error;
};

template <typename T> std::optional<T> failed(const LoopbackSocket& socket, std::string* error) {
    if (error) *error = socket.ok() ? "connection closed early" : socket.error();
    return std::nullopt;
}

std::string resp_command(const std::vector<std::string>& words) {
    std::string out = "*" + std::to_string(words.size()) + "\r\n";
    for (const auto& word : words) out += "$" + std::to_string(word.size()) + "\r\n" + word + "\r\n";
    return out;
}

} // namespace

std::optional<HttpReply> http_request(std::uint16_t port, std::string_view method,
                                      std::string_view target, std::chrono::milliseconds timeout,
                                      std::string* error, std::string_view headers) {
    LoopbackSocket socket(port, Clock::now() + timeout);
    std::string request = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n" +
                          "Host: 127.0.0.1:" + std::to_string(port) + "\r\n" + std::string(headers) +
                          "User-Agent: statelab-supervisor\r\nConnection: close\r\n" +
                          "Content-Length: 0\r\n\r\n";
    if (!socket.ok() || !socket.send_all(request)) return failed<HttpReply>(socket, error);
    std::string raw;
    while (socket.receive_some(raw)) {}
    if (!socket.ok()) return failed<HttpReply>(socket, error);
    // "HTTP/1.1 200 OK\r\n..." — the status code is the second word of the first line.
    const auto space = raw.find(' ');
    if (!raw.starts_with("HTTP/") || space == std::string::npos) {
        if (error) *error = raw.empty() ? "empty reply" : "not an HTTP reply";
        return std::nullopt;
    }
    HttpReply reply;
    reply.status = std::atoi(raw.c_str() + space + 1);
    const auto body = raw.find("\r\n\r\n");
    if (body != std::string::npos) reply.body = raw.substr(body + 4);
    return reply;
}

std::optional<std::vector<std::string>>
redis_exchange(std::uint16_t port, const std::vector<std::vector<std::string>>& commands,
               std::chrono::milliseconds timeout, std::string* error) {
    LoopbackSocket socket(port, Clock::now() + timeout);
    std::string request;
    for (const auto& command : commands) request += resp_command(command);
    if (!socket.ok() || !socket.send_all(request)) return failed<std::vector<std::string>>(socket, error);
    std::vector<std::string> replies;
    std::string raw;
    std::size_t consumed = 0;
    while (replies.size() < commands.size()) {
        const auto end = raw.find("\r\n", consumed);
        if (end == std::string::npos) {
            if (!socket.receive_some(raw)) return failed<std::vector<std::string>>(socket, error);
            continue;
        }
        replies.push_back(raw.substr(consumed, end - consumed));
        consumed = end + 2;
    }
    return replies;
}

} // namespace statelab
