#include "server/replica_client.hpp"

#include "common/loopback_socket.hpp"

namespace statelab {

namespace {

// A copy is one session: the node's own caps keep it far below this.
constexpr std::uint64_t max_reply_bytes = 16 * 1024 * 1024;

enum class Outcome { answered, failed, stale }; // stale: a kept-alive socket the peer had closed

Outcome send_and_read(LoopbackSocket& socket, const std::string& request, ReplicaReply& reply, bool& keep) {
    if (!socket.send_all(request)) return Outcome::stale;
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(max_reply_bytes);
    std::string raw;
    std::size_t used = 0;
    while (!parser.is_done()) {
        if (used == raw.size() && !socket.receive_some(raw)) return raw.empty() && socket.ok() ? Outcome::stale : Outcome::failed;
        error_code ec;
        used += parser.put(asio::buffer(raw.data() + used, raw.size() - used), ec);
        if (ec == http::error::need_more) {
            if (!socket.receive_some(raw)) return Outcome::failed;
        } else if (ec) {
            return Outcome::failed;
        }
    }
    auto message = parser.release();
    reply.status = message.result_int();
    reply.body = std::move(message.body());
    keep = message.keep_alive() && used == raw.size();
    return Outcome::answered;
}

} // namespace

ReplicaClient::ReplicaClient(std::string token, std::chrono::milliseconds timeout)
    : m_token(std::move(token)), m_timeout(timeout) {}

ReplicaClient::~ReplicaClient() = default;

std::unique_ptr<LoopbackSocket> ReplicaClient::take_idle(std::uint16_t port) {
    std::lock_guard lock(m_mutex);
    auto& idle = m_idle[port];
    if (idle.empty()) return nullptr;
    auto socket = std::move(idle.back());
    idle.pop_back();
    return socket;
}

void ReplicaClient::give_back(std::uint16_t port, std::unique_ptr<LoopbackSocket> socket) {
    std::lock_guard lock(m_mutex);
    auto& idle = m_idle[port];
    if (idle.size() < 8) idle.push_back(std::move(socket)); // as many as there are store threads, and some
}

std::optional<ReplicaReply> ReplicaClient::exchange(std::uint16_t port, http::verb method, const std::string& target,
                                                    const std::string& body, std::string* error) {
    const auto deadline = LoopbackSocket::Clock::now() + m_timeout;
    std::string request;
    request.reserve(160 + body.size());
    request.append(http::to_string(method)).append(" ").append(target).append(" HTTP/1.1\r\n");
    request.append("Host: 127.0.0.1:").append(std::to_string(port)).append("\r\n");
    request.append("X-Replication-Token: ").append(m_token).append("\r\n");
    request.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n").append(body);

    // A kept-alive socket first; if the peer had closed it (restarted, idle timeout), once more
    // on a new connection: every replica request may be sent twice (a PUT of the same copy, a
    // DELETE, a GET).
    std::unique_ptr<LoopbackSocket> socket = take_idle(port);
    const bool reused = socket != nullptr;
    if (socket) socket->set_deadline(deadline);
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!socket) socket = std::make_unique<LoopbackSocket>(port, deadline);
        if (!socket->ok()) break;
        ReplicaReply reply;
        bool keep = false;
        const Outcome outcome = send_and_read(*socket, request, reply, keep);
        if (outcome == Outcome::answered) {
            if (keep) give_back(port, std::move(socket));
            return reply;
        }
        if (outcome == Outcome::failed || !(reused && attempt == 0)) break;
        socket.reset();
    }
    if (error) *error = socket && !socket->ok() ? socket->error() : "connection closed early";
    return std::nullopt;
}

} // namespace statelab
