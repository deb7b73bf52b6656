// The new stall findings on programs written differently from examples/stalls: each runs
// inline on a Scheduler watched by a StallWatch, so the detector sees the events as
// COGEN_STALLS and REQUIRE_NO_STALLS do. Also: precise blame, the wait-for graph's queue
// sides, the report and the Catch2 helper.
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <stdexcept>
#include <string>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "cogen/viz/catch_stalls.hpp"
#include "cogen/viz/env_stall_check.hpp"
#include "cogen/viz/stall_detector.hpp"
#include "cogen/viz/stall_watch.hpp"
#include "cogen/viz/wait_graph.hpp"

using namespace std::chrono_literals;
using cogen::viz::Finding;
using cogen::viz::FindingKind;
using cogen::viz::StallWatch;

namespace {

std::set<FindingKind> kinds(const std::vector<Finding>& findings) {
    std::set<FindingKind> out;
    for (const Finding& f : findings) {
        UNSCOPED_INFO(f.explanation);
        out.insert(f.kind);
    }
    return out;
}

const Finding& first(const std::vector<Finding>& findings, FindingKind kind) {
    for (const Finding& f : findings) {
        if (f.kind == kind) return f;
    }
    FAIL("no finding of kind " << to_string(kind));
    return findings.front();
}

struct SocketPair {
    cogen::net::Socket a, b;
    SocketPair() {
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) {
            throw std::runtime_error("socketpair failed");
        }
        a = cogen::net::Socket::adopt_nonblocking(fds[0]);
        b = cogen::net::Socket::adopt_nonblocking(fds[1]);
    }
};

cogen::Coro<> stop_after(cogen::Scheduler& sched, std::chrono::milliseconds delay) {
    co_await cogen::Sleep{delay};
    sched.stop();
}

// --- starved --------------------------------------------------------------------------

cogen::Coro<> relay(cogen::Queue<int>& in, cogen::Queue<int>& out, int rounds, bool starts) {
    for (int i = 0; i < rounds; ++i) {
        const auto until = std::chrono::steady_clock::now() + 200us;
        while (std::chrono::steady_clock::now() < until) {
        }
        if (starts) co_await out.put(i, {}, cogen::Priority::FIRST);
        const int got = co_await in.get();
        (void)got;
        if (!starts) co_await out.put(i, {}, cogen::Priority::FIRST);
    }
}

cogen::Coro<> yielder(int& resumed) {
    co_await cogen::Yield{};  // back of the queue, behind the relay
    ++resumed;
}

}  // namespace

TEST_CASE("A coroutine that yielded behind a FIRST-priority relay is found starved",
          "[vizmodel][stalls]") {
    cogen::Queue<int> ab{0, "ab"}, ba{0, "ba"};
    int resumed = 0;
    cogen::Scheduler sched;
    // The relays' 200 us slices are wall-clock busy-waits: on a loaded machine the OS may
    // preempt one for tens of ms, which would also read as a cpu-hog. This test is about
    // the starvation only.
    StallWatch watch{sched, {.cpu_hog = 10s, .starved = 50ms}};
    sched.add(yielder(resumed), {.name = "yielder"});
    sched.add(relay(ba, ab, 400, true), {.name = "left"});
    sched.add(relay(ab, ba, 400, false), {.name = "right"});
    sched.run();
    REQUIRE(resumed == 1);
    const auto findings = watch.findings();
    CHECK(kinds(findings) == std::set<FindingKind>{FindingKind::starved});
    const Finding& f = first(findings, FindingKind::starved);
    CHECK(f.coro_name == "yielder");
    CHECK(f.duration_ns >= 50'000'000);
    CHECK_THAT(f.explanation, Catch::Contains("'left'") && Catch::Contains("'right'"));
}

namespace {

cogen::Coro<> sigwaiter(int tries) {
    for (int i = 0; i < tries; ++i) {
        try {
            co_await cogen::WaitForSignal{"config-loaded", 2ms};
            co_return;
        } catch (const cogen::OperationTimeout&) {
        }
    }
}

}  // namespace

TEST_CASE("Timed signal waits retried with no emitter are a retry loop", "[vizmodel][stalls]") {
    cogen::Scheduler sched;
    StallWatch watch{sched};
    sched.add(sigwaiter(30), {.name = "config-poller"});
    sched.run();
    const auto findings = watch.findings();
    CHECK(kinds(findings) == std::set<FindingKind>{FindingKind::retry_loop});
    const Finding& f = first(findings, FindingKind::retry_loop);
    CHECK(f.coro_name == "config-poller");
    CHECK(f.blame.signal == "config-loaded");
    CHECK(f.blame.timeouts == 30);
    CHECK_THAT(f.explanation, Catch::Contains("30 times in a row") &&
                                  Catch::Contains("signal 'config-loaded' (never sent so far)"));
}

TEST_CASE("A retry that a live coroutine can still end is an idle poll, not a loop",
          "[vizmodel][stalls]") {
    cogen::Queue<int> q{0, "events"};
    cogen::Scheduler sched;
    StallWatch watch{sched};
    auto poller = [](cogen::Queue<int>& q) -> cogen::Coro<> {
        for (int timeouts = 0; timeouts < 30;) {
            try {
                const int v = co_await q.get(2ms);
                if (v == 0) co_return;
            } catch (const cogen::OperationTimeout&) {
                ++timeouts;
            }
        }
    };
    auto late = [](cogen::Queue<int>& q) -> cogen::Coro<> {
        co_await q.put(1);            // a putter of 'events' ...
        co_await cogen::Sleep{90ms};  // ... that is alive while the poller times out
        co_await q.put(0);
    };
    sched.add(poller(q), {.name = "poller"});
    sched.add(late(q), {.name = "late"});
    sched.run();
    CHECK(kinds(watch.findings()).empty());
}

namespace {

cogen::Coro<> publisher(cogen::PubSub<int>& news) {
    co_await news.subscribe();  // the publisher reads its own news: never
    for (int i = 0; i < 150; ++i) {
        co_await news.publish(i);
        if (i % 10 == 0) co_await cogen::Sleep{1ms};
    }
}

cogen::Coro<> reader(cogen::PubSub<int>& news) {
    co_await news.subscribe();
    const auto batch = co_await news.fetch(1s);
    (void)batch;
    co_await cogen::Sleep{30ms};  // reads once, then never again
}

}  // namespace

TEST_CASE("A pubsub whose subscribers stopped reading is a backlog", "[vizmodel][stalls]") {
    cogen::PubSub<int> news{"news"};
    cogen::Scheduler sched;
    StallWatch watch{sched};
    sched.add(reader(news), {.name = "reader"});
    sched.add(publisher(news), {.name = "publisher"});
    sched.run();
    const auto findings = watch.findings();
    CHECK(kinds(findings) == std::set<FindingKind>{FindingKind::backlog});
    const Finding& f = first(findings, FindingKind::backlog);
    CHECK(f.blame.queue == "news");
    CHECK(f.blame.queue_length >= 100);
    CHECK_THAT(f.explanation, Catch::Contains("pubsub 'news'") && Catch::Contains("'publisher'"));
}

TEST_CASE("A bounded queue kept full is backpressure, not a backlog", "[vizmodel][stalls]") {
    cogen::Queue<int> q{200, "bounded"};
    cogen::Scheduler sched;
    StallWatch watch{sched};
    auto fill = [](cogen::Queue<int>& q) -> cogen::Coro<> {
        for (int i = 0; i < 300; ++i) co_await q.put(i, 1s);
    };
    auto drain = [](cogen::Queue<int>& q) -> cogen::Coro<> {
        for (int i = 0; i < 300; ++i) {
            co_await cogen::Sleep{100us};
            const int v = co_await q.get(1s);
            (void)v;
        }
    };
    sched.add(fill(q), {.name = "fill"});
    sched.add(drain(q), {.name = "drain"});
    sched.run();
    REQUIRE_NO_STALLS(watch);
}

namespace {

cogen::Coro<> slow_peer(cogen::net::Socket& s) {
    co_await cogen::Sleep{10ms};
    co_await s.sendall(std::string(3000, 'h'));  // part of what the reader wants, then silence
    co_await cogen::Sleep{5s};
}

cogen::Coro<> exact_reader(cogen::net::Socket& s) {
    const std::string body = co_await s.read(10'000);
    (void)body;
}

}  // namespace

TEST_CASE("A read of n bytes that got some, then none, is stalled I/O", "[vizmodel][stalls]") {
    SocketPair pair;
    cogen::Scheduler sched;
    StallWatch watch{sched, {.stalled_io = 100ms}};
    sched.add(exact_reader(pair.a), {.name = "body-reader"});
    sched.add(slow_peer(pair.b), {.name = "peer"});
    sched.add(stop_after(sched, 300ms), {.name = "watchdog"});
    sched.run();
    const auto findings = watch.findings();
    CHECK(kinds(findings) == std::set<FindingKind>{FindingKind::stalled_io});
    const Finding& f = first(findings, FindingKind::stalled_io);
    CHECK(f.coro_name == "body-reader");
    CHECK(f.blame.op_type == "Read");
    CHECK(f.blame.bytes == 3000);
    CHECK(f.blame.interest == cogen::viz::FdInterest::read);
    CHECK_THAT(f.explanation, Catch::Contains("3.00 kB (3000 bytes)"));
}

// --- precise blame ----------------------------------------------------------------------

namespace {

cogen::Coro<> stuffer(cogen::Queue<int>& q) {
    for (int i = 1; i <= 10; ++i) co_await q.put(i);  // waits for room, in the end forever
}

}  // namespace

TEST_CASE("A put on a full queue is blamed on the room it waits for, and its getters wake it",
          "[vizmodel][stalls]") {
    cogen::Queue<int> q{2, "results"};
    cogen::Scheduler sched;
    StallWatch watch{sched};
    auto take_one = [](cogen::Queue<int>& q) -> cogen::Coro<> {
        const int v = co_await q.get();
        (void)v;
        co_await cogen::WaitForSignal{"never"};
    };
    sched.add(stuffer(q), {.name = "stuffer"});
    sched.add(take_one(q), {.name = "taker"});
    sched.run();
    const auto findings = watch.findings();
    const Finding* put = nullptr;
    for (const Finding& f : findings) {
        if (f.kind == FindingKind::untimed_wait && f.coro_name == "stuffer") put = &f;
    }
    REQUIRE(put != nullptr);
    CHECK(put->blame.queue_side == cogen::viz::QueueSide::put);
    CHECK(put->blame.queue_length == 2);
    CHECK(put->blame.queue_maxsize == 2);
    CHECK_THAT(put->explanation, Catch::Contains("room in queue 'results' (full: 2 of 2)"));
    // Who could make room: the getter, not the putter itself.
    const auto& state = watch.model().latest();
    const auto* stuffer_state = state.find(put->coro);
    REQUIRE(stuffer_state != nullptr);
    const auto wakers = cogen::viz::possible_wakers(state, stuffer_state->place, put->coro);
    REQUIRE(wakers.size() == 1);
    CHECK(watch.model().coro_name(wakers[0]) == "taker");
}

namespace {

cogen::Coro<> only_getter(cogen::Queue<int>& q, cogen::CoroRef<> putter) {
    const int v = co_await q.get();  // takes one: it is the queue's getter
    (void)v;
    co_await cogen::Sleep{1ms};
    co_await cogen::Join{putter};  // and then waits for the putter it should make room for
}

}  // namespace

TEST_CASE("A putter on a full queue whose only getter joins it is a deadlock",
          "[vizmodel][stalls]") {
    cogen::Queue<int> q{1, "slots"};
    cogen::Scheduler sched;
    StallWatch watch{sched};
    cogen::CoroRef<> putter = sched.add(stuffer(q), {.name = "putter"});
    sched.add(only_getter(q, putter), {.name = "getter"});
    sched.run();
    const auto findings = watch.findings();
    const Finding& f = first(findings, FindingKind::deadlock);
    REQUIRE(f.cycle.size() == 2);
    CHECK_THAT(f.explanation, Catch::Contains("room in queue 'slots' (full: 1 of 1)"));
}

TEST_CASE("A signal wait says who sent the signal last and that it came too early",
          "[vizmodel][stalls]") {
    cogen::Scheduler sched;
    StallWatch watch{sched};
    auto early = []() -> cogen::Coro<> { co_await cogen::Signal{"go"}; };
    auto late = []() -> cogen::Coro<> {
        co_await cogen::Sleep{1ms};
        co_await cogen::WaitForSignal{"go"};  // the signal was emitted before: lost
    };
    sched.add(early(), {.name = "early"});
    sched.add(late(), {.name = "late"});
    sched.run();
    const auto findings = watch.findings();
    const Finding& f = first(findings, FindingKind::untimed_wait);
    CHECK(f.coro_name == "late");
    CHECK(f.blame.last_sender_name == "early");
    CHECK_THAT(f.explanation, Catch::Contains("last sent by 'early' (coro") &&
                                  Catch::Contains("before this wait began"));
}

TEST_CASE("The stall report reads like a sanitizer's", "[vizmodel][stalls]") {
    cogen::Scheduler sched;
    StallWatch watch{sched};
    auto waiter = []() -> cogen::Coro<> { co_await cogen::WaitForSignal{"never"}; };
    sched.add(waiter(), {.name = "waiter"});
    sched.run();
    const auto findings = watch.findings();
    REQUIRE_FALSE(findings.empty());
    const std::string report = cogen::viz::format_stall_report(findings, "prog", "at exit");
    CHECK_THAT(report,
               Catch::StartsWith("==" + std::to_string(::getpid()) + "==COGEN_STALLS: ") &&
                   Catch::Contains("in 'prog' (at exit)") &&
                   Catch::Contains("#1 untimed-wait  coro 1 \"waiter\"") &&
                   Catch::Contains("SUMMARY: COGEN_STALLS: 1 untimed-wait, 1 orphan-signal"));
    CHECK(cogen::viz::format_stall_report({}, "prog", "at exit").empty());
}

TEST_CASE("A StallWatch forwards to the instrument it replaced and gives it back",
          "[vizmodel][stalls]") {
    struct Counter final : cogen::Instrument {
        int strings = 0, events = 0, closes = 0;
        void on_string(std::uint32_t, std::string_view) override { ++strings; }
        void on_event(const cogen::TraceEvent&) override { ++events; }
        void on_close() override { ++closes; }
    } counter;
    {
        cogen::Scheduler sched{{.instrument = &counter}};
        {
            StallWatch watch{sched};
            CHECK(cogen::SchedulerObserver{sched}.instrument() == &watch);
            auto quick = []() -> cogen::Coro<> { co_await cogen::Sleep{1ms}; };
            sched.add(quick(), {.name = "quick"});
            sched.run();
            REQUIRE_NO_STALLS(watch);
            CHECK(counter.events == static_cast<int>(watch.model().size()));
        }
        CHECK(cogen::SchedulerObserver{sched}.instrument() == &counter);
    }
    CHECK(counter.closes == 1);
}

TEST_CASE("COGEN_STALLS values: 1, fail, 0 and empty, anything else is refused",
          "[vizmodel][stalls]") {
    using cogen::viz::StallCheckMode;
    CHECK(cogen::viz::parse_stall_check_mode("1") == StallCheckMode::report);
    CHECK(cogen::viz::parse_stall_check_mode("fail") == StallCheckMode::fail);
    CHECK(cogen::viz::parse_stall_check_mode("0") == StallCheckMode::off);
    CHECK(cogen::viz::parse_stall_check_mode("") == StallCheckMode::off);
    CHECK_FALSE(cogen::viz::parse_stall_check_mode("yes"));
    CHECK_FALSE(cogen::viz::parse_stall_check_mode("FAIL"));
}
