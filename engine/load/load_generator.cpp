#include "load/load_generator.hpp"

#include <algorithm>

#include "common/logged_completion.hpp"
#include "load/declared_run.hpp"
#include "load/journey.hpp"
#include "load/user_connection.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <random>

namespace statelab {

using Clock = std::chrono::steady_clock;

struct LoadGenerator::Worker {
    // Before the context: the users' coroutines, destroyed with the context, still unwatch.
    DeadlineSweeper sweeper;
    asio::io_context context{1};
    asio::executor_work_guard<asio::io_context::executor_type> guard{context.get_executor()};
    ThreadStats stats;
    std::thread thread;
    // Open loop: the intended send time of the next request from this thread's users.
    Clock::time_point next_slot{};
    std::uint64_t slot_epoch = 0;
    // sticky-url: the links this thread's users posted lately (a chat room), one slot per
    // user index mod the size; read only by this thread, so no lock.
    std::array<std::string, 64> posted_links;
    std::uint64_t links_run = 0; // the start() they were posted in: a new run forgets them
};

LoadGenerator::LoadGenerator(unsigned threads) : m_sockets(SocketBudget::for_this_process()) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < threads; ++i) {
        auto worker = std::make_unique<Worker>();
        worker->sweeper.budget = &m_sockets;
        asio::co_spawn(worker->context, worker->sweeper.run(), log_if_failed{"the idle-connection sweeper"});
        worker->thread = std::thread([w = worker.get()] { w->context.run(); });
        m_workers.push_back(std::move(worker));
    }
}

LoadGenerator::~LoadGenerator() {
    stop();
    for (auto& w : m_workers) {
        w->guard.reset();
        w->context.stop();
        w->thread.join();
    }
}

TrafficSettings LoadGenerator::settings() const {
    std::lock_guard lock(m_mutex);
    return m_settings;
}

void LoadGenerator::start(tcp::endpoint target, const TrafficSettings& settings, std::string host) {
    m_target = target;
    m_host = std::move(host); // no user runs now: stop() waited for them
    ++m_run; // links posted to another cluster name sessions this one never had
    m_stopping = false;
    m_running = true;
    update(settings);
}

void LoadGenerator::set_attribution(ValueSource served_by, bool lab_names) {
    m_served_by = std::move(served_by);
    m_names.reset(lab_names);
}

void LoadGenerator::set_shard(std::size_t index, std::size_t count) {
    std::lock_guard lock(m_mutex);
    m_shard_count = std::max<std::size_t>(1, count);
    m_shard_index = index % m_shard_count;
}

int LoadGenerator::local_users(int users) const {
    const auto total = static_cast<std::size_t>(std::max(0, users));
    if (total <= m_shard_index) return 0;
    return static_cast<int>((total - m_shard_index + m_shard_count - 1) / m_shard_count);
}

void LoadGenerator::update(const TrafficSettings& settings) {
    {
        std::lock_guard lock(m_mutex);
        m_settings = settings;
        m_think_ms = std::max(0, settings.think_ms);
        m_idle_close_ms = std::max(0, settings.idle_close_ms);
        // Open loop: each shard paces its share of the arrivals.
        const double rate = std::max(0.0, settings.rate) / static_cast<double>(m_shard_count);
        if (m_rate.exchange(rate) != rate) ++m_rate_epoch;
        m_user_target = local_users(settings.users);
        m_source_addresses = std::max(0, settings.source_addresses);
        m_change_share = std::clamp(settings.address_change_share, 0.0, 1.0);
        m_change_every_ms = std::max(100, static_cast<int>(settings.address_change_every_s * 1000));
        m_retry = static_cast<int>(retry_policy_named(settings.retry));
        m_item_bytes = std::clamp(settings.item_bytes, 0, 256);
        m_shared_link_share = std::clamp(settings.shared_link_share, 0.0, 1.0);
        if (settings.journey != m_settings_journey_seen.first || settings.browse_share != m_settings_journey_seen.second) {
            m_settings_journey_seen = {settings.journey, settings.browse_share};
            ++m_journey_epoch;
        }
    }
    if (m_running) spawn_missing_users();
}

void LoadGenerator::spawn_missing_users(bool after_failure) {
    std::lock_guard lock(m_mutex);
    const auto target = static_cast<std::size_t>(m_user_target.load());
    if (m_user_running.size() < target) m_user_running.resize(target, false);
    for (std::size_t i = 0; i < target; ++i) {
        if (m_user_running[i]) continue;
        m_user_running[i] = true;
        Worker& worker = *m_workers[i % m_workers.size()];
        asio::co_spawn(worker.context, run_user(worker, i, after_failure),
                       [this, i](std::exception_ptr failure) { user_ended(i, failure); });
    }
}

void LoadGenerator::user_ended(std::size_t index, std::exception_ptr failure) {
    if (!failure) return; // it left as asked (user_should_stay freed its slot)
    // The first few are told in full; after that the count says how often.
    if (const auto n = ++m_users_failed; n <= 3 || (n & (n - 1)) == 0) {
        std::fprintf(stderr, "statelab: virtual user %zu ended on an error (%s; %llu so far); it starts again\n",
                     global_index(index), describe_failure(failure).c_str(), static_cast<unsigned long long>(n));
    }
    {
        std::lock_guard lock(m_mutex);
        if (index < m_user_running.size()) m_user_running[index] = false;
    }
    if (m_running && !m_stopping) spawn_missing_users(true);
}

// Checked before every request: cheap atomics first, the lock only when leaving, so a user
// never leaves a slot that update() just counted as running.
bool LoadGenerator::user_should_stay(std::size_t index) {
    if (!m_stopping.load(std::memory_order_relaxed) &&
        index < static_cast<std::size_t>(m_user_target.load(std::memory_order_relaxed)))
        return true;
    std::lock_guard lock(m_mutex);
    if (!m_stopping && index < static_cast<std::size_t>(m_user_target.load())) return true;
    m_user_running[index] = false;
    return false;
}

void LoadGenerator::stop() {
    if (!m_running.exchange(false)) return;
    m_stopping = true;
    // Users notice within one request or think time; the bound is the request timeout.
    const auto deadline = Clock::now() + request_timeout + std::chrono::seconds(1);
    while (m_active_users.load() > 0 && Clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

IntervalStats LoadGenerator::take_interval() {
    IntervalStats merged;
    for (auto& w : m_workers) merged.merge(w->stats.take());
    return merged;
}

Clock::time_point LoadGenerator::next_open_loop_slot(Worker& worker) {
    const double rate = m_rate.load(std::memory_order_relaxed);
    const auto now = Clock::now();
    const std::uint64_t epoch = m_rate_epoch.load(std::memory_order_relaxed);
    if (worker.slot_epoch != epoch || worker.next_slot == Clock::time_point{}) {
        worker.slot_epoch = epoch; // a new rate: pace from now, not from the old backlog
        worker.next_slot = now;
    }
    const auto gap = std::chrono::duration<double>(static_cast<double>(m_workers.size()) / rate);
    const Clock::time_point slot = worker.next_slot;
    worker.next_slot += std::chrono::duration_cast<Clock::duration>(gap);
    return slot;
}

static JourneyKind pick_journey(const TrafficSettings& s, std::minstd_rand& rng) {
    if (s.journey == "browse") return JourneyKind::browse;
    if (s.journey == "mix")
        return std::uniform_real_distribution<double>(0, 1)(rng) < s.browse_share ? JourneyKind::browse
                                                                                  : JourneyKind::shop;
    return JourneyKind::shop;
}

static void record(IntervalStats& s, std::size_t node, const Verdict& v, std::uint64_t micros, int status,
                   std::size_t header_bytes) {
    auto count = [&](NodeCounters& c) {
        ++c.requests;
        c.header_bytes += header_bytes;
        c.hits += v.hit, c.misses += v.miss, c.created += v.created, c.lost += v.lost;
        c.duplicates += v.duplicates, c.expired += v.expired, c.leaked += v.leaked, c.stale += v.stale;
        if (v.failed) ++c.errors;
        c.latency.record_us(micros);
    };
    count(s.node(node));
    count(s.total);
    // A 401 session miss is not a failure: it is counted as a miss (and a loss) instead.
    if (v.failed && status >= 500) ++s.failures.http_5xx;
    else if (v.failed && status == 413) ++s.failures.too_large;
    else if (v.failed && status >= 400) ++s.failures.http_4xx;
}

static void record_transport(IntervalStats& s, TransportFailure f) {
    ++s.total.errors;
    if (f == TransportFailure::connect) ++s.failures.connect;
    else if (f == TransportFailure::timeout) ++s.failures.timeout;
    else ++s.failures.reset;
}

// A fresh journey for user `index`, as the current settings draw it. Out of run_user so its
// temporaries (a copy of the settings) take no room in every user's coroutine frame.
Journey LoadGenerator::new_journey(std::size_t index, std::minstd_rand& rng) const {
    return Journey(pick_journey(settings(), rng), "u" + std::to_string(index), static_cast<std::uint32_t>(rng()));
}

std::unique_ptr<DeclaredRun> LoadGenerator::new_declared_run(std::size_t index, std::minstd_rand& rng) const {
    DeclaredJourneyPtr declared = settings().declared;
    if (!declared) return nullptr;
    return std::make_unique<DeclaredRun>(std::move(declared), "u" + std::to_string(index), static_cast<std::uint32_t>(rng()));
}

bool LoadGenerator::idle_past_ttl(UserMemory& memory, Clock::time_point sent) const {
    // The longest the session can have idled on the server: from the last answered request's
    // send (it was touched after that) to this answer (it was looked up before). A session
    // gone after that long may have expired as configured: expired, not lost.
    const std::int64_t ttl_ms = m_session_ttl_ms.load(std::memory_order_relaxed);
    const bool past = ttl_ms > 0 && memory.last_answered_send != Clock::time_point{} &&
                      Clock::now() - memory.last_answered_send >= std::chrono::milliseconds(ttl_ms);
    memory.last_answered_send = sent;
    return past;
}

void LoadGenerator::count_answer(Worker& worker, const Exchange& exchange, const CookieJar& jar, const Verdict& verdict,
                                 Clock::time_point intended, Clock::time_point sent, bool write, UserMemory& memory) {
    // Open loop: latency from the intended send time, so a slow server cannot hide its
    // backlog by slowing the generator down (no coordinated omission); up to the answer's
    // arrival, not past the cookie jar, the TTL check and the cart's parse that judged it.
    const auto micros = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(exchange.answered - intended).count());
    const Response& res = exchange.response;
    std::string_view server;
    if (m_served_by.from == ValueSource::From::cookie) server = jar.value(m_served_by.name);
    else if (auto h = m_served_by.name.empty() ? res.end() : res.find(m_served_by.name); h != res.end()) server = h->value();
    const std::size_t node = m_names.number(server);
    const int status = static_cast<int>(res.result_int());
    if (m_outage.watching()) {
        auto x_session = res.find("X-Session");
        if (x_session != res.end() && x_session->value() == "store-unavailable") m_outage.store_unavailable(Clock::now());
        else if (write && status / 100 == 2) m_outage.write_ok(sent, Clock::now());
    }
    const std::size_t holder = memory.session_holder;
    worker.stats.update([&](IntervalStats& s) {
        record(s, node, verdict, micros, status, exchange.header_bytes);
        if (verdict.lost) s.count_lost_held_by(holder);
    });
    // Where the session lives now: the node that created it or last found it.
    if (verdict.created || (verdict.hit && !verdict.lost)) memory.session_holder = static_cast<std::uint16_t>(std::min<std::size_t>(node, 0xFFFF));
    else if (verdict.lost || verdict.expired) memory.session_holder = 0;
}

awaitable<LoadGenerator::RequestOutcome> LoadGenerator::request_declared(Worker& worker, DeclaredRun& run,
                                                                        UserConnection& connection, CookieJar& jar,
                                                                        Clock::time_point intended, UserMemory& memory) {
    const DeclaredRequest request = run.next_request();
    RequestOutcome outcome;
    if (!request.refused.empty()) { // never sent: counted as a failure of its own kind
        run.on_refused();
        worker.stats.update([](IntervalStats& s) { ++s.total.errors, ++s.failures.bad_capture; });
        outcome.back_off = true;
        co_return outcome;
    }
    const bool write = request.verb != http::verb::get && request.verb != http::verb::head;
    const auto sent = Clock::now();
    const RequestExtras extras{m_host, request.body, &request.headers};
    const Exchange exchange = co_await connection.send(request.verb, request.target, jar, {}, request_timeout, &extras);
    if (exchange.failure != TransportFailure::none) {
        run.on_transport_failure();
        worker.stats.update([&](IntervalStats& s) { record_transport(s, exchange.failure); });
        outcome.back_off = true;
        co_return outcome;
    }
    jar.absorb(exchange.response);
    const bool idle = idle_past_ttl(memory, sent);
    const Verdict verdict = run.on_response(exchange.response, jar, idle);
    // A declared session lives where it was made or last found; the X-Session header (the lab's
    // own servers) is the only thing that says "found": without it, where it was made.
    count_answer(worker, exchange, jar, verdict, intended, sent, write, memory);
    co_return outcome;
}

awaitable<LoadGenerator::RequestOutcome> LoadGenerator::request_once(Worker& worker, Journey& journey,
                                                                    UserConnection& connection, CookieJar& jar,
                                                                    Clock::time_point intended,
                                                                    UserMemory& memory, const std::string* foreign_link) {
    const Step& step = journey.current();
    const bool write = !foreign_link && step.verb == http::verb::post;
    const auto sent = Clock::now();
    journey.set_retry_policy(static_cast<RetryPolicy>(m_retry.load(std::memory_order_relaxed)));
    journey.set_item_bytes(static_cast<std::size_t>(m_item_bytes.load(std::memory_order_relaxed)));
    // Not `c ? co_await a : co_await b`: GCC 12 miscompiles a co_await inside a conditional.
    const RequestExtras extras{m_host, {}, nullptr};
    Exchange exchange;
    if (foreign_link)
        exchange = co_await connection.send(http::verb::get, "/cart?" + *foreign_link, jar, {}, request_timeout, &extras);
    else
        exchange = co_await connection.send(step.verb, journey.target_to_send(), jar, journey.key_to_send(),
                                            request_timeout, &extras);
    RequestOutcome outcome;
    Verdict verdict;
    if (exchange.failure != TransportFailure::none) {
        if (!foreign_link) verdict = journey.on_transport_failure(); // a look through a link is not retried
        worker.stats.update([&](IntervalStats& s) { record_transport(s, exchange.failure); });
        outcome.back_off = true;
    } else {
        const Response& res = exchange.response;
        jar.absorb(res);
        auto x_session = res.find("X-Session");
        const int status = static_cast<int>(res.result_int());
        const std::string_view session_state = x_session == res.end() ? std::string_view{} : x_session->value();
        const bool idle = idle_past_ttl(memory, sent);
        verdict = foreign_link ? journey.on_foreign_cart(status, session_state, res.body())
                               : journey.on_response(status, session_state, res.body(), idle);
        count_answer(worker, exchange, jar, verdict, intended, sent, write, memory);
    }
    outcome.retry = verdict.retry;
    co_return outcome;
}

namespace {
std::chrono::milliseconds first_request_delay(int think_ms, std::minstd_rand& rng) {
    if (think_ms <= 0) return std::chrono::milliseconds(0);
    // Thinks are uniform on [T/2, 3T/2]. A crowd that has been running for a while is caught in
    // the middle of its thinks, and the time left of a think then has the density
    // P(think > x) / T: flat (1/T) up to T/2, falling linearly to 0 at 3T/2 — half of it each.
    // Started so, the crowd sends users / T requests a second from its first second. Spread
    // uniformly over [0, T] instead, the first requests and the second ones of the quickest
    // thinkers overlapped: 3,000 users thinking 2 s sent 1,913 requests in their second second
    // and 1,236 in their third, for 1,500 meant.
    const double think = think_ms;
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    const double left = rng() % 2 == 0 ? u * think / 2 : 1.5 * think - think * std::sqrt(u);
    return std::chrono::milliseconds(static_cast<long>(left));
}
} // namespace

std::chrono::milliseconds LoadGenerator::plan_think(const DeclaredRun* declared, std::minstd_rand& rng,
                                                    UserConnection& connection) const {
    int think = m_think_ms.load(std::memory_order_relaxed);
    if (declared) think = declared->think_ms(think); // a step of a declared journey may say its own
    if (think <= 0) return std::chrono::milliseconds(0);
    // +-50% jitter keeps thousands of users from marching in step.
    const std::chrono::milliseconds pause(think / 2 + static_cast<int>(rng() % (think + 1)));
    // A pause as long as the idle limit (by default the servers' keep-alive timeout): the server
    // would close the connection under the user, whose next request would fail on a dead socket.
    // Closing it first, as a browser does, also frees the socket here and in the balancer while
    // the user only thinks.
    const int idle_close = m_idle_close_ms.load(std::memory_order_relaxed);
    if (idle_close > 0 && pause.count() >= idle_close) connection.close();
    return pause;
}

awaitable<void> LoadGenerator::run_user(Worker& worker, std::size_t local, bool after_failure) {
    // Counted while its coroutine lives, also when it ends on an exception.
    struct Active {
        std::atomic<int>& users;
        explicit Active(std::atomic<int>& u) : users(u) { ++users; }
        ~Active() { --users; }
    } active(m_active_users);
    // Everything that tells users apart (seed, name, address, roaming) reads the global index:
    // user 7 is the same user whether one host drives the crowd or several shards do.
    const std::size_t index = global_index(local);
    std::minstd_rand rng(static_cast<std::uint32_t>(index * 2654435761u + 1));
    std::uint64_t journey_epoch = m_journey_epoch.load();
    Journey journey = new_journey(index, rng);
    std::unique_ptr<DeclaredRun> declared = new_declared_run(index, rng); // the scenario's own journey, if any
    const int shared = m_source_addresses.load(); // behind a NAT: users share addresses
    UserConnection connection(worker.context.get_executor(), worker.sweeper,
                              user_source_address(shared > 0 ? index % static_cast<std::size_t>(shared) : index), m_target);
    CookieJar jar;
    UserTimer timer(worker.context.get_executor());
    UserMemory memory;
    error_code ec;
    // A roaming user (which ones: spread evenly over the indexes) moves to a fresh address now
    // and then, keeping its cookies: a phone between Wi-Fi and mobile.
    std::size_t moves = 0;
    auto next_move = Clock::now() + std::chrono::milliseconds(m_change_every_ms.load());

    // The first request waits as if the user had been thinking all along (no burst at the start,
    // no wave after it); one started again after an error waits at least 100 ms more (no tight
    // loop of failures).
    timer.expires_after(first_request_delay(m_think_ms.load(), rng) + std::chrono::milliseconds(after_failure ? 100 : 0));
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));

    while (user_should_stay(local)) {
        if (const auto epoch = m_journey_epoch.load(std::memory_order_relaxed); epoch != journey_epoch) {
            // A new journey mix: this user starts over on the journey it draws now, like a
            // visitor closing the tab (its old session idles out on the server).
            journey_epoch = epoch;
            journey = new_journey(index, rng);
            declared = new_declared_run(index, rng);
        }
        if (const double share = m_change_share.load(std::memory_order_relaxed);
            share > 0 && static_cast<double>(index * 7919 % 1000) < share * 1000 && Clock::now() >= next_move) {
            ++moves;
            // Past every user's own address (100,000 users at most), different for each move.
            connection.move_to(user_source_address(index + moves * 100'003));
            next_move = Clock::now() + std::chrono::milliseconds(m_change_every_ms.load(std::memory_order_relaxed));
        }
        const bool open_loop = m_rate.load(std::memory_order_relaxed) > 0;
        Clock::time_point intended = Clock::now();
        if (open_loop) {
            intended = next_open_loop_slot(worker);
            if (intended > Clock::now()) {
                timer.expires_at(intended);
                co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }
        }
        // sticky-url: now and then the user looks at its cart through a link another user
        // posted; otherwise it posts its own.
        const double shared = m_shared_link_share.load(std::memory_order_relaxed);
        if (const std::uint64_t run = m_run.load(std::memory_order_relaxed); worker.links_run != run) {
            worker.posted_links.fill({});
            worker.links_run = run;
        }
        std::string& own_slot = worker.posted_links[index % worker.posted_links.size()];
        const std::string* foreign = nullptr;
        if (shared > 0 && journey.current().kind == Step::Kind::view_cart && !journey.link().empty() &&
            std::uniform_real_distribution<double>(0, 1)(rng) < shared) {
            const std::string& posted = worker.posted_links[rng() % worker.posted_links.size()];
            if (!posted.empty() && posted != journey.link()) foreign = &posted;
        }
        const std::string foreign_copy = foreign ? *foreign : std::string(); // the slot may change meanwhile
        RequestOutcome outcome;
        if (declared)
            outcome = co_await request_declared(worker, *declared, connection, jar, intended, memory);
        else
            outcome = co_await request_once(worker, journey, connection, jar, intended, memory,
                                            foreign ? &foreign_copy : nullptr);
        if (!journey.link().empty()) own_slot = journey.link();
        if (outcome.back_off) {
            // Back off a little before reconnecting so a dead balancer is not hammered.
            timer.expires_after(std::chrono::milliseconds(50 + rng() % 200));
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        if (outcome.retry) continue;
        if (!open_loop) {
            if (const auto pause = plan_think(declared.get(), rng, connection); pause.count() > 0) {
                timer.expires_after(pause);
                co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }
        }
    }
}

} // namespace statelab
