#pragma once
// A non-blocking TCP socket to 127.0.0.1 whose every step waits with poll() until one deadline:
// the tiny blocking clients (the supervisor's probes, a node's copies to its buddy) can then
// never hang on a paused (SIGSTOPped) peer.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace statelab {

class LoopbackSocket {
public:
    using Clock = std::chrono::steady_clock;

    // Connects to 127.0.0.1:port; ok() says whether it did before `deadline`.
    LoopbackSocket(std::uint16_t port, Clock::time_point deadline);
    // Connects to the local (AF_UNIX) socket at `path`, like HAProxy's stats socket.
    LoopbackSocket(const std::string& path, Clock::time_point deadline);
    ~LoopbackSocket();
    LoopbackSocket(const LoopbackSocket&) = delete;
    LoopbackSocket& operator=(const LoopbackSocket&) = delete;

    bool ok() const { return m_error.empty(); }
    const std::string& error() const { return m_error; }
    // A kept-alive socket is used again under a new deadline.
    void set_deadline(Clock::time_point deadline) { m_deadline = deadline; }

    bool send_all(std::string_view data);
    // Appends what arrives to `into`; false at EOF, on error or at the deadline.
    bool receive_some(std::string& into);

private:
    void connect_to(int family, const void* address, unsigned length);
    bool wait_for(short events);
    void fail(const char* what);

    int m_fd = -1;
    Clock::time_point m_deadline;
    std::string m_error;
};

} // namespace statelab
