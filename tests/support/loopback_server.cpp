#include "support/loopback_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace statelab::test {

namespace {

std::size_t content_length(const std::string& head) {
    std::string lower(head);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    const auto at = lower.find("\r\ncontent-length:");
    if (at == std::string::npos) return 0;
    return static_cast<std::size_t>(std::strtoull(lower.c_str() + at + 17, nullptr, 10));
}

} // namespace

Answer Answer::ok(const std::string& body, const std::string& served_by) {
    return reply("HTTP/1.1 200 OK\r\nX-Served-By: " + served_by + "\r\nContent-Length: " + std::to_string(body.size()) +
                 "\r\n\r\n" + body);
}

LoopbackServer::LoopbackServer(Answerer answer) : m_answer(std::move(answer)) {
    m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(m_listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(m_listener, 128);
    socklen_t len = sizeof addr;
    ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_acceptor = std::thread([this] { accept_loop(); });
}

LoopbackServer::~LoopbackServer() {
    m_stopping = true;
    ::shutdown(m_listener, SHUT_RDWR);
    ::close(m_listener);
    m_acceptor.join();
    {
        // Wake every connection thread blocked in recv.
        std::lock_guard lock(m_mutex);
        for (int fd : m_open) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : m_threads) t.join();
}

int LoopbackServer::connections() const {
    std::lock_guard lock(m_mutex);
    return m_connections;
}

int LoopbackServer::closed() const {
    std::lock_guard lock(m_mutex);
    return m_closed;
}

std::vector<std::string> LoopbackServer::requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}

int LoopbackServer::seen(const std::string& request_line) const {
    std::lock_guard lock(m_mutex);
    int count = 0;
    for (const std::string& head : m_requests) count += head.compare(0, request_line.size() + 1, request_line + " ") == 0;
    return count;
}

void LoopbackServer::accept_loop() {
    while (!m_stopping) {
        const int fd = ::accept(m_listener, nullptr, nullptr);
        if (fd < 0) return;
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            ::close(fd);
            return;
        }
        ++m_connections;
        m_open.insert(fd);
        m_threads.emplace_back([this, fd] { serve(fd); });
    }
}

void LoopbackServer::serve(int fd) {
    std::string buffer;
    const auto read_until = [&](auto&& enough) {
        char chunk[4096];
        while (!enough()) {
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) return false;
            buffer.append(chunk, static_cast<std::size_t>(n));
        }
        return true;
    };
    Answer::Kind last = Answer::Kind::reply;
    for (int index = 0; !m_stopping && last == Answer::Kind::reply; ++index) {
        if (!read_until([&] { return buffer.find("\r\n\r\n") != std::string::npos; })) break;
        const std::size_t end = buffer.find("\r\n\r\n");
        ReceivedRequest request;
        request.head = buffer.substr(0, end + 4);
        request.on_connection = index;
        const std::string line = request.head.substr(0, request.head.find("\r\n"));
        request.request_line = line.substr(0, line.rfind(' '));
        buffer.erase(0, end + 4);
        const std::size_t body = content_length(request.head);
        if (!read_until([&] { return buffer.size() >= body; })) break;
        buffer.erase(0, body);
        {
            std::lock_guard lock(m_mutex);
            m_requests.push_back(request.head);
        }
        const Answer answer = m_answer(request);
        last = answer.kind;
        if (!answer.bytes.empty()) ::send(fd, answer.bytes.data(), answer.bytes.size(), MSG_NOSIGNAL);
    }
    if (last == Answer::Kind::reset) {
        const linger abort{1, 0}; // close sends RST instead of FIN
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    }
    std::lock_guard lock(m_mutex);
    m_open.erase(fd);
    ::close(fd);
    ++m_closed;
}

} // namespace statelab::test
