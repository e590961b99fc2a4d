#pragma once
// Tiny blocking clients for talking to the cluster's processes on 127.0.0.1: one HTTP request
// (readiness, balancer control) and a few RESP commands (redis readiness). Every call is bounded
// by `timeout` in total, so a paused (SIGSTOPped) process can never hang the supervisor.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace statelab {

struct HttpReply {
    int status = 0;
    std::string body;
};

// Sends `method target` with `Connection: close` and reads the whole reply. Nothing when the
// connection failed or the time ran out; `error` (if given) then says why.
// `headers`: extra header lines, each ending in CRLF.
std::optional<HttpReply> http_request(std::uint16_t port, std::string_view method,
                                      std::string_view target, std::chrono::milliseconds timeout,
                                      std::string* error = nullptr, std::string_view headers = {});

// Sends `request` to the local (AF_UNIX) socket at `path` and reads until the other side closes
// (HAProxy's stats socket: "show stat\n" and the CSV back).
std::optional<std::string> local_socket_exchange(const std::string& path, std::string_view request,
                                                 std::chrono::milliseconds timeout, std::string* error = nullptr);

// Sends every command (RESP arrays of bulk strings, pipelined) and returns each reply's first
// line: "+PONG", "-NOAUTH Authentication required.", ":1". Meant for AUTH, PING and other
// commands with one-line replies; a bulk reply's payload line would be taken for the next reply.
std::optional<std::vector<std::string>>
redis_exchange(std::uint16_t port, const std::vector<std::vector<std::string>>& commands,
               std::chrono::milliseconds timeout, std::string* error = nullptr);

// Sends AUTH `password` (when not empty) and then `command`, and returns the command's reply
// flattened: every bulk string and one-line reply of it, nested arrays opened in order
// (`SENTINEL master statelab` -> "name", "statelab", "ip", "127.0.0.1", ...). Nothing when the
// connection failed, AUTH was refused or the time ran out.
std::optional<std::vector<std::string>> redis_reply_words(std::uint16_t port, const std::string& password,
                                                          const std::vector<std::string>& command,
                                                          std::chrono::milliseconds timeout, std::string* error = nullptr);

// Asks the sentinel on 127.0.0.1:`sentinel` (after AUTH `password`) for the port of the primary it
// watches as `master`. Nothing when it cannot tell (down, no such master, time ran out).
std::optional<std::uint16_t> sentinel_primary_port(std::uint16_t sentinel, const std::string& password,
                                                   const std::string& master, std::chrono::milliseconds timeout);

} // namespace statelab
