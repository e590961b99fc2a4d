#include "cluster/probes.hpp"

#include "common/loopback_socket.hpp"

namespace statelab {
namespace {

using Clock = LoopbackSocket::Clock;

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

std::optional<std::string> local_socket_exchange(const std::string& path, std::string_view request,
                                                 std::chrono::milliseconds timeout, std::string* error) {
    LoopbackSocket socket(path, Clock::now() + timeout);
    if (!socket.ok() || !socket.send_all(request)) return failed<std::string>(socket, error);
    std::string raw;
    while (socket.receive_some(raw)) {}
    if (!socket.ok()) return failed<std::string>(socket, error);
    return raw;
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

std::optional<std::vector<std::string>> redis_reply_words(std::uint16_t port, const std::string& password,
                                                          const std::vector<std::string>& command,
                                                          std::chrono::milliseconds timeout, std::string* error) {
    LoopbackSocket socket(port, Clock::now() + timeout);
    const std::string request = (password.empty() ? std::string() : resp_command({"AUTH", password})) + resp_command(command);
    if (!socket.ok() || !socket.send_all(request)) return failed<std::vector<std::string>>(socket, error);
    std::string raw;
    std::size_t at = 0;
    // The next line of the reply (without its CRLF), reading more as needed.
    auto line = [&]() -> std::optional<std::string> {
        std::size_t end;
        while ((end = raw.find("\r\n", at)) == std::string::npos)
            if (!socket.receive_some(raw)) return std::nullopt;
        std::string out = raw.substr(at, end - at);
        at = end + 2;
        return out;
    };
    if (!password.empty()) {
        const auto auth = line();
        if (!auth || *auth != "+OK") {
            if (error) *error = auth ? "AUTH refused: " + *auth : socket.error();
            return std::nullopt;
        }
    }
    std::vector<std::string> words;
    for (long pending = 1; pending > 0;) {
        const auto head = line();
        if (!head || head->empty()) return failed<std::vector<std::string>>(socket, error);
        const long n = std::atol(head->c_str() + 1);
        if ((*head)[0] == '*') {
            pending += (n > 0 ? n : 0) - 1; // its elements take its place
        } else if ((*head)[0] == '$') {
            --pending;
            if (n < 0) continue; // a nil
            while (raw.size() < at + static_cast<std::size_t>(n) + 2)
                if (!socket.receive_some(raw)) return failed<std::vector<std::string>>(socket, error);
            words.push_back(raw.substr(at, static_cast<std::size_t>(n)));
            at += static_cast<std::size_t>(n) + 2;
        } else {
            --pending;
            words.push_back(*head); // +OK, -ERR ..., :1
        }
    }
    return words;
}

std::optional<std::uint16_t> sentinel_primary_port(std::uint16_t sentinel, const std::string& password,
                                                   const std::string& master, std::chrono::milliseconds timeout) {
    const auto words = redis_reply_words(sentinel, password, {"SENTINEL", "get-master-addr-by-name", master}, timeout);
    if (!words || words->size() != 2) return std::nullopt; // [host, port]; nothing for an unknown master
    const int port = std::atoi((*words)[1].c_str());
    if (port < 1 || port > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(port);
}

} // namespace statelab
