#pragma once
#include <QtGlobal>

#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace statelab::test {

// One request as a LoopbackServer read it (the head; a Content-Length body is read and skipped).
struct ReceivedRequest {
    std::string head;         // request line and headers, up to and with the blank line
    std::string request_line; // method and target: "GET /cart"
    int on_connection = 0;    // 0 for the first request on its connection
};

// What the server does with a request.
struct Answer {
    enum class Kind { reply, reply_and_close, drop, reset };
    Kind kind = Kind::reply;
    std::string bytes; // sent as they are, for reply and reply_and_close

    static Answer reply(std::string bytes) { return {Kind::reply, std::move(bytes)}; }
    static Answer reply_and_close(std::string bytes) { return {Kind::reply_and_close, std::move(bytes)}; }
    static Answer drop() { return {Kind::drop, {}}; }   // read, never answered, connection closed (FIN)
    static Answer reset() { return {Kind::reset, {}}; } // read, then the connection reset (RST)
    static Answer ok(const std::string& body = "ok\n", const std::string& served_by = "node-1");
};

// A small HTTP server in the test process on 127.0.0.1 that does, on cue, what a real server
// cannot be made to do: answer with hand-written bytes, read a request and never answer it,
// reset the connection. One thread per connection; `answer` is called from those threads.
class LoopbackServer {
public:
    using Answerer = std::function<Answer(const ReceivedRequest&)>;
    explicit LoopbackServer(Answerer answer);
    ~LoopbackServer();
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    quint16 port() const { return m_port; }
    int connections() const;
    int closed() const; // connections this server has closed (its side: FIN or RST sent)
    std::vector<std::string> requests() const; // every head, in the order read
    int seen(const std::string& request_line) const;

private:
    void accept_loop();
    void serve(int fd);

    Answerer m_answer;
    int m_listener = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::thread m_acceptor;
    mutable std::mutex m_mutex;
    std::vector<std::thread> m_threads;
    std::set<int> m_open;
    std::vector<std::string> m_requests;
    int m_connections = 0;
    int m_closed = 0;
};

} // namespace statelab::test
