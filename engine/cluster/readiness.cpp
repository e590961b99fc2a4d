#include "cluster/readiness.hpp"

#include "cluster/cluster_files.hpp"
#include "cluster/probes.hpp"
#include "cluster/supervisor.hpp"

#include <functional>
#include <thread>

namespace statelab {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds probe_timeout{500};
constexpr std::chrono::milliseconds probe_pause{50};

std::string seconds_text(std::chrono::milliseconds timeout) {
    const auto ms = timeout.count();
    return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

// Repeats `probe` (true = ready; it fills `last` with what it saw) until ready, the child exits
// or `timeout` passes.
void poll_until(ChildProcess& child, std::chrono::milliseconds timeout, const std::string& what,
                const std::function<bool(std::string& last)>& probe) {
    const auto deadline = Clock::now() + timeout;
    std::string last = "no answer";
    while (true) {
        if (child.poll_exit())
            throw_not_ready(child, "it " + child.exit_description() + " while waiting for " + what);
        if (probe(last)) return;
        if (Clock::now() >= deadline) break;
        std::this_thread::sleep_for(probe_pause);
    }
    throw_not_ready(child, what + " did not succeed within " + seconds_text(timeout) + " (last: " + last + ")");
}

} // namespace

void throw_not_ready(ChildProcess& child, const std::string& reason) {
    const std::string tail = log_tail(child.log_path());
    throw ClusterError(child.name() + " did not become ready: " + reason + "; " +
                       child.log_path().filename().string() + ": " +
                       (tail.empty() ? "(empty)" : tail));
}

std::uint16_t wait_listening_line(ChildProcess& child, std::chrono::milliseconds timeout) {
    if (auto port = child.wait_listening(timeout)) return *port;
    // Closed stdout usually means it exited: give waitpid a moment to see it for the message.
    if (child.wait_exit(std::chrono::milliseconds(200)))
        throw_not_ready(child, "it " + child.exit_description() + " before printing `listening 127.0.0.1:<port>`");
    throw_not_ready(child, "no `listening 127.0.0.1:<port>` line within " + seconds_text(timeout));
}

void wait_http_ok(ChildProcess& child, std::uint16_t port, const std::string& path,
                  std::chrono::milliseconds timeout) {
    const std::string what = "GET " + path + " on 127.0.0.1:" + std::to_string(port) + " answering 200";
    poll_until(child, timeout, what, [&](std::string& last) {
        std::string error;
        auto reply = http_request(port, "GET", path, probe_timeout, &error);
        last = reply ? "HTTP " + std::to_string(reply->status) : error;
        return reply && reply->status == 200;
    });
}

void wait_http_answer(ChildProcess& child, std::uint16_t port, const std::string& path,
                      std::chrono::milliseconds timeout) {
    const std::string what = "GET " + path + " on 127.0.0.1:" + std::to_string(port) + " answering HTTP";
    poll_until(child, timeout, what, [&](std::string& last) {
        auto reply = http_request(port, "GET", path, probe_timeout, &last);
        return reply.has_value();
    });
}

void wait_redis_pong(ChildProcess& child, std::uint16_t port, const std::string& password,
                     std::chrono::milliseconds timeout) {
    const std::string what = "PING on 127.0.0.1:" + std::to_string(port) + " answering PONG";
    poll_until(child, timeout, what, [&](std::string& last) {
        std::string error;
        auto replies = redis_exchange(port, {{"AUTH", password}, {"PING"}}, probe_timeout, &error);
        last = replies ? replies->front() + " " + replies->back() : error;
        return replies && replies->back() == "+PONG";
    });
}

namespace {
// The value after `key` in a flattened reply ("num-slaves", "1"), or empty.
std::string field(const std::vector<std::string>& words, const std::string& key) {
    for (std::size_t i = 0; i + 1 < words.size(); ++i)
        if (words[i] == key) return words[i + 1];
    return {};
}
} // namespace

void wait_sentinels_settled(const std::vector<std::uint16_t>& sentinels, const std::string& password,
                            const std::string& master, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string others = std::to_string(sentinels.size() - 1);
    std::string missing;
    while (std::chrono::steady_clock::now() < deadline) {
        missing.clear();
        for (std::uint16_t port : sentinels) {
            const std::string who = "the sentinel on port " + std::to_string(port);
            const auto known = redis_reply_words(port, password, {"SENTINEL", "master", master}, std::chrono::milliseconds(500));
            const auto replicas = redis_reply_words(port, password, {"SENTINEL", "replicas", master}, std::chrono::milliseconds(500));
            if (!known || !replicas) missing = who + " does not answer";
            else if (field(*known, "num-other-sentinels") != others) missing = who + " does not know the other sentinels yet";
            else if (field(*replicas, "master-link-status") != "ok") missing = who + " knows no replica in sync with the primary yet";
            if (!missing.empty()) break;
        }
        if (missing.empty()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    throw ClusterError("the sentinels did not settle within " + std::to_string(timeout.count() / 1000) + " s: " + missing);
}

} // namespace statelab
