#pragma once
// "Ready" for each kind of child: the listening line on stdout, then GET /healthz answering 200
// (app servers, balancers); PING answering PONG after AUTH (redis). Each wait fails fast when the
// child exits, and throws a ClusterError naming the process, the reason and its log's last lines.
#include "cluster/child_process.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace statelab {

inline constexpr std::chrono::milliseconds ready_timeout{5000};

// The port from `listening 127.0.0.1:<port>`.
std::uint16_t wait_listening_line(ChildProcess& child, std::chrono::milliseconds timeout = ready_timeout);

// Polls GET `path` until it answers 200.
void wait_http_ok(ChildProcess& child, std::uint16_t port, const std::string& path = "/healthz",
                  std::chrono::milliseconds timeout = ready_timeout);

// Polls GET `path` until it answers HTTP at all (any status): for a proxy whose own health is
// all we ask about, even when everything behind it is down.
void wait_http_answer(ChildProcess& child, std::uint16_t port, const std::string& path = "/healthz",
                      std::chrono::milliseconds timeout = ready_timeout);

// Polls AUTH + PING until the reply is PONG.
void wait_redis_pong(ChildProcess& child, std::uint16_t port, const std::string& password,
                     std::chrono::milliseconds timeout = ready_timeout);

// shared-store-ha: waits until every sentinel knows the others and a replica whose link to the
// primary is up (until then a dead primary could not be failed over). Throws a ClusterError
// saying what is still missing.
void wait_sentinels_settled(const std::vector<std::uint16_t>& sentinels, const std::string& password,
                            const std::string& master, std::chrono::milliseconds timeout = std::chrono::seconds(20));

// "node-2 did not become ready: <reason>; node-2.log: <tail>" — for callers with their own reasons.
[[noreturn]] void throw_not_ready(ChildProcess& child, const std::string& reason);

} // namespace statelab
