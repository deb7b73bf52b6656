#include "cogen/events/signal.hpp"  // header under test first

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "support/log.hpp"
#include "support/recording_instrument.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::Priority;
using cogen::test::Log;

TEST_CASE("a signal wakes every waiter with its value and yields how many woke (Q1)",
          "[events][signal]") {
    cogen::Scheduler sched;
    Log log;
    auto waiter = [&](std::string name) -> Coro<> {
        cogen::Value v = co_await cogen::WaitForSignal{"go"};
        log(name + "=" + v.to_string());
    };
    auto signaler = [&]() -> Coro<> {
        std::size_t n = co_await cogen::Signal{"go", cogen::Value{"hi"}};
        log("woke " + std::to_string(n));
    };
    sched.add(waiter("a"));
    sched.add(waiter("b"));
    sched.add(signaler());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"a=\"hi\"", "b=\"hi\"", "woke 2"});
}

TEST_CASE("a signal with no waiter is lost (not latched)", "[events][signal]") {
    cogen::Scheduler sched;
    Log log;
    auto signaler = [&]() -> Coro<> {
        std::size_t n = co_await cogen::Signal{"nobody"};
        log(static_cast<int>(n));
    };
    auto late = [&]() -> Coro<> {
        co_await cogen::Yield{};
        co_await cogen::Yield{};
        co_await cogen::WaitForSignal{"nobody"};
        log("late woke");
    };
    sched.add(signaler());
    auto l = sched.add(late());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"0"});
    CHECK(l.state() == cogen::CoroState::suspended);  // a stall, abandoned by run()
}

TEST_CASE("woken waiters and the signaler are ordered by priority", "[events][signal][priority]") {
    struct Case {
        Priority prio;
        std::vector<std::string> expected;
    };
    // Waiters registered a, b. OP bit: waiters front, reversed (b, a); CORO bit: signaler front.
    const Case cases[] = {
        {Priority::LAST, {"a", "b", "signaler", "other"}},
        {Priority::OP, {"b", "a", "signaler", "other"}},
        {Priority::CORO, {"signaler", "a", "b", "other"}},
        {Priority::FIRST, {"signaler", "b", "a", "other"}},
    };
    for (const Case& c : cases) {
        cogen::Scheduler sched;
        Log log;
        auto waiter = [&](std::string name) -> Coro<> {
            co_await cogen::WaitForSignal{"go"};
            log(name);
        };
        auto other = [&]() -> Coro<> {
            co_await cogen::Yield{};
            co_await cogen::Yield{};
            log("other");
        };
        auto signaler = [&]() -> Coro<> {
            co_await cogen::Signal{"go", {}, 0, c.prio};
            log("signaler");
        };
        sched.add(waiter("a"));
        sched.add(waiter("b"));
        sched.add(other());
        sched.add(signaler());
        sched.run();
        INFO("prio " << cogen::to_string(c.prio));
        CHECK(log.items == c.expected);
    }
}

TEST_CASE("a signal with recipients parks until enough waiters, parked signals form a FIFO (Q8)",
          "[events][signal]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    Log log;
    auto signaler = [&](std::string name, int value) -> Coro<> {
        std::size_t n = co_await cogen::Signal{"go", cogen::Value{value}, 2};
        log(name + " woke " + std::to_string(n));
    };
    auto waiter = [&](std::string name, std::chrono::milliseconds after) -> Coro<> {
        co_await cogen::Sleep{after};
        cogen::Value v = co_await cogen::WaitForSignal{"go"};
        log(name + " got " + v.to_string());
    };
    sched.add(signaler("s1", 1));
    sched.add(signaler("s2", 2));
    sched.add(waiter("w1", 10ms));
    sched.add(waiter("w2", 20ms));
    sched.add(waiter("w3", 30ms));
    sched.add(waiter("w4", 40ms));
    sched.run();
    CHECK(log.items == std::vector<std::string>{"w1 got 1", "w2 got 1", "s1 woke 2", "w3 got 2",
                                                "w4 got 2", "s2 woke 2"});
}

TEST_CASE("a waiter that times out leaves the waiter list", "[events][signal][timeout]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    Log log;
    auto waiter = [&]() -> Coro<> {
        try {
            co_await cogen::WaitForSignal{"go", 1s};
        } catch (const cogen::OperationTimeout&) {
            log("timeout");
        }
    };
    auto signaler = [&]() -> Coro<> {
        co_await cogen::Sleep{2s};
        std::size_t n = co_await cogen::Signal{"go"};
        log("woke " + std::to_string(n));
    };
    sched.add(waiter());
    sched.add(signaler());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"timeout", "woke 0"});
}

TEST_CASE(
    "signal.emit names the signal and who woke, and each waiter's op.ready blames the "
    "signaler",
    "[events][signal][trace]") {
    cogen::test::RecordingInstrument rec;
    cogen::Scheduler sched{{.instrument = &rec}};
    auto waiter = []() -> Coro<> { co_await cogen::WaitForSignal{"go"}; };
    auto signaler = []() -> Coro<> { co_await cogen::Signal{"go"}; };
    sched.add(waiter());
    auto s = sched.add(signaler());
    sched.run();
    bool saw_emit = false, saw_ready = false;
    for (const auto& e : rec.events()) {
        if (e.kind == cogen::EventKind::signal_emit) {
            saw_emit = true;
            CHECK(rec.str(e.text) == "go");
            CHECK(e.a == 1);
            CHECK(e.coro == s.id());
        }
        if (e.kind == cogen::EventKind::op_ready && e.coro == 1) {
            saw_ready = true;
            CHECK(e.a == static_cast<int>(cogen::Outcome::signal));
            CHECK(e.b == static_cast<std::int64_t>(s.id()));
        }
    }
    CHECK(saw_emit);
    CHECK(saw_ready);
}
