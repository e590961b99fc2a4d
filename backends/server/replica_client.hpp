#pragma once
// A node's client for the other nodes' /replica pages (replicated mode): the copy sent to its
// buddy on every session write, and the search for a copy when a user arrives from a dead node.
// Blocking (it runs on the store threads), every exchange bounded by one timeout, connections
// kept alive per peer port: a new connection per copy would leave thousands of sockets in
// TIME_WAIT and run the machine out of ephemeral ports within a minute of heavy traffic.
#include "common/http_message.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace statelab {

class LoopbackSocket;

struct ReplicaReply {
    unsigned status = 0;
    std::string body;
};

class ReplicaClient {
public:
    // `token`: sent as X-Replication-Token (the pages refuse anyone who does not know it).
    ReplicaClient(std::string token, std::chrono::milliseconds timeout);
    ~ReplicaClient();

    // One request to 127.0.0.1:port; nothing when the peer could not be reached or did not
    // answer in time (`error` says why).
    std::optional<ReplicaReply> exchange(std::uint16_t port, http::verb method, const std::string& target,
                                         const std::string& body, std::string* error);

private:
    std::unique_ptr<LoopbackSocket> take_idle(std::uint16_t port);
    void give_back(std::uint16_t port, std::unique_ptr<LoopbackSocket> socket);

    std::string m_token;
    std::chrono::milliseconds m_timeout;
    std::mutex m_mutex;
    std::unordered_map<std::uint16_t, std::vector<std::unique_ptr<LoopbackSocket>>> m_idle;
};

} // namespace statelab
