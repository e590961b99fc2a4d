#pragma once
// Thousands of virtual users as C++20 coroutines on per-thread io_contexts (wrk's model: each
// thread owns its users, connections and counters; nothing is shared on the request path).
// Each user has its own keep-alive connection, cookie jar and loopback source address.
#include "load/outage_watch.hpp"
#include "load/user_connection.hpp"
#include "metrics/interval_stats.hpp"
#include "metrics/server_names.hpp"
#include "model/target.hpp"
#include "model/traffic.hpp"

#include "common/http_types.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace statelab {

class CookieJar;
class DeclaredRun;
class Journey;
class UserConnection;
struct Exchange;
struct Verdict;

class LoadGenerator {
public:
    static constexpr std::chrono::milliseconds request_timeout{5000};

    explicit LoadGenerator(unsigned threads = 0); // 0 = one per core
    ~LoadGenerator();
    LoadGenerator(const LoadGenerator&) = delete;
    LoadGenerator& operator=(const LoadGenerator&) = delete;

    // Starts (or retargets) the traffic at `target`; safe to call again to change settings.
    // `host`: the Host header the requests carry (somebody else's app may route by it).
    void start(tcp::endpoint target, const TrafficSettings& settings, std::string host = {});
    // Which server answered: the answers' `served_by` header or cookie (an empty name: not
    // known). `lab_names`: the lab's own node-N names. Set before start().
    void set_attribution(ValueSource served_by, bool lab_names);
    ServerNames& server_names() { return m_names; }
    // Live control: takes effect within one interval (users join or leave, loops re-pace).
    void update(const TrafficSettings& settings);
    // Every user stops after its current request; returns once they are gone (bounded).
    void stop();

    bool running() const { return m_running.load(); }
    TrafficSettings settings() const;
    int active_users() const { return m_active_users.load(); }
    // The cluster's idle-session lifetime: a session gone after the user idled longer is
    // counted expired, not lost. 0 = not known (every session gone is lost).
    void set_session_ttl(std::chrono::milliseconds ttl) { m_session_ttl_ms = ttl.count(); }
    // Load from many hosts: this generator drives only the users whose global index is
    // `index` mod `count` (users index, index+count, ...). `users` and `rate` in the settings
    // stay the whole crowd's; the global index picks each user's source address and seed, so
    // shards never collide. Set before start().
    void set_shard(std::size_t index, std::size_t count);
    // The store's outage after a blow to it, as the users' answers tell it.
    OutageWatch& outage() { return m_outage; }
    // The counters of the interval since the last call, merged over threads.
    IntervalStats take_interval();

private:
    struct Worker;
    // What a user remembers between requests besides its journey.
    struct UserMemory {
        std::uint16_t session_holder = 0; // node number that holds the session; 0 = none yet
        std::chrono::steady_clock::time_point last_answered_send{}; // for idle time against the TTL
    };
    struct RequestOutcome {
        bool retry = false;    // send the same step again
        bool back_off = false; // the connection failed: wait a little before the next try
    };
    // `after_failure`: the user's last coroutine ended on an exception; it waits a moment first.
    awaitable<void> run_user(Worker& worker, std::size_t index, bool after_failure);
    // A user's coroutine ended. On an exception (which asio::detached would drop): logged, the
    // slot freed and the user started again, so the crowd stays whole and stop() does not wait.
    void user_ended(std::size_t index, std::exception_ptr failure);
    Journey new_journey(std::size_t index, std::minstd_rand& rng) const;
    std::unique_ptr<DeclaredRun> new_declared_run(std::size_t index, std::minstd_rand& rng) const;
    // A declared journey's next request, judged and counted (request_once's twin).
    awaitable<RequestOutcome> request_declared(Worker& worker, DeclaredRun& run, UserConnection& connection,
                                               CookieJar& jar, std::chrono::steady_clock::time_point intended,
                                               UserMemory& memory);
    // The session outlived the TTL's idle bound since the last answered request (then a session
    // gone is expired, not lost); notes this request's send as the last answered one.
    bool idle_past_ttl(UserMemory& memory, std::chrono::steady_clock::time_point sent) const;
    // Counts an answer judged `verdict` against the server that gave it.
    void count_answer(Worker& worker, const Exchange& exchange, const CookieJar& jar, const Verdict& verdict,
                      std::chrono::steady_clock::time_point intended, std::chrono::steady_clock::time_point sent,
                      bool write, UserMemory& memory);
    // One request of the user's journey, judged and counted. A coroutine of its own so that
    // the response and everything about it live only while the request does: the frame of
    // run_user is what 10,000 thinking users keep, and it holds only the user's state.
    awaitable<RequestOutcome> request_once(Worker& worker, Journey& journey, UserConnection& connection,
                                           CookieJar& jar, std::chrono::steady_clock::time_point intended,
                                           UserMemory& memory, const std::string* foreign_link = nullptr);
    // The user's next think time; before one the server would not wait out, its connection is
    // closed (the next request reconnects). Not in run_user: every local there is in its frame.
    std::chrono::milliseconds plan_think(const DeclaredRun* declared, std::minstd_rand& rng, UserConnection& connection) const;
    bool user_should_stay(std::size_t index);
    std::size_t global_index(std::size_t local) const { return m_shard_index + local * m_shard_count; }
    int local_users(int users) const; // of the crowd's `users`, how many are this shard's
    void spawn_missing_users(bool after_failure = false);
    std::chrono::steady_clock::time_point next_open_loop_slot(Worker& worker);

    SocketBudget m_sockets; // before the workers: their connections give sockets back as they go
    std::vector<std::unique_ptr<Worker>> m_workers;
    tcp::endpoint m_target;
    std::string m_host;
    ValueSource m_served_by = lab_served_by;
    ServerNames m_names;

    mutable std::mutex m_mutex; // settings, user slots
    TrafficSettings m_settings;
    std::pair<std::string, double> m_settings_journey_seen{"shop", 0.5};
    std::vector<bool> m_user_running; // by local index
    std::size_t m_shard_index = 0, m_shard_count = 1;
    std::atomic<int> m_user_target{0};
    std::atomic<int> m_think_ms{100};
    std::atomic<int> m_idle_close_ms{server_keep_alive_ms};
    std::atomic<int> m_source_addresses{0};
    std::atomic<double> m_change_share{0};   // roaming users' share
    std::atomic<int> m_change_every_ms{10000};
    std::atomic<int> m_retry{0}; // a RetryPolicy: users take it before each request
    std::atomic<std::int64_t> m_session_ttl_ms{0};
    std::atomic<int> m_item_bytes{0};
    std::atomic<double> m_shared_link_share{0};
    std::atomic<std::uint64_t> m_run{0}; // bumps on every start()
    std::atomic<double> m_rate{0};
    std::atomic<std::uint64_t> m_rate_epoch{0}; // bumps on every rate change: re-pace
    std::atomic<std::uint64_t> m_journey_epoch{0}; // bumps on every journey change: users re-pick
    std::atomic<bool> m_running{false};
    std::atomic<bool> m_stopping{false};
    std::atomic<int> m_active_users{0};
    std::atomic<std::uint64_t> m_users_failed{0}; // user coroutines that ended on an exception
    OutageWatch m_outage;
};

} // namespace statelab
