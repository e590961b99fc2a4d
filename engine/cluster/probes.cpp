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

std::optional<std::uint16_t> sentinel_primary_port(std::uint16_t sentinel, const std::string& password,
                                                   const std::string& master, std::chrono::milliseconds timeout) {
    LoopbackSocket socket(sentinel, Clock::now() + timeout);
    const std::string request = resp_command({"AUTH", password}) + resp_command({"SENTINEL", "get-master-addr-by-name", master});
    if (!socket.ok() || !socket.send_all(request)) return std::nullopt;
    // "+OK", then "*2", "$9", "127.0.0.1", "$5", "40123" (or "*-1": no such master).
    std::string raw;
    std::vector<std::string> lines;
    while (lines.size() < 6) {
        const auto end = raw.find("\r\n");
        if (end == std::string::npos) {
            if (!socket.receive_some(raw)) return std::nullopt;
            continue;
        }
        lines.push_back(raw.substr(0, end));
        raw.erase(0, end + 2);
        if (lines.size() == 2 && lines[1] != "*2") return std::nullopt;
    }
    if (lines[0] != "+OK") return std::nullopt;
    const int port = std::atoi(lines[5].c_str());
    if (port < 1 || port > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(port);
}

} // namespace statelab
