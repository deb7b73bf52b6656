#include "cogen/events/sleep.hpp"  // header under test first

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "support/log.hpp"
#include "support/recording_instrument.hpp"

using namespace std::chrono_literals;
using cogen::Coro;

TEST_CASE("Sleep resumes the coroutine at its deadline, not before", "[events][sleep]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    std::chrono::nanoseconds woke_at{-1};
    auto sleeper = [&]() -> Coro<> {
        co_await cogen::Sleep{250ms};
        woke_at = clock.now();
    };
    sched.add(sleeper());
    sched.run();
    CHECK(woke_at == 250ms);
}

TEST_CASE("Sleep goes through process and finalize, never cleanup", "[events][sleep][protocol]") {
    cogen::ManualClock clock;
    cogen::test::RecordingInstrument rec;
    cogen::Scheduler sched{{.clock = &clock, .instrument = &rec}};
    auto sleeper = []() -> Coro<> { co_await cogen::Sleep{1s}; };
    sched.add(sleeper());
    sched.run();
    CHECK(rec.lines(1) ==
          std::vector<std::string>{"coro.spawn", "coro.resume start", "coro.suspend Sleep",
                                   "op.process Sleep wait:timer", "timer.fire Sleep",
                                   "op.ready Sleep wait:timer", "op.finalize Sleep",
                                   "coro.resume Sleep value", "coro.finish"});
    CHECK(rec.count(cogen::EventKind::op_cleanup) == 0);
}

TEST_CASE("Sleep of zero or a negative duration wakes at the next timeout check (Q9)",
          "[events][sleep]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    cogen::test::Log log;
    auto zero = [&]() -> Coro<> {
        co_await cogen::Sleep{0ms};
        log("zero");
    };
    auto negative = [&]() -> Coro<> {
        co_await cogen::Sleep{-5s};
        log("negative");
    };
    sched.add(zero());
    sched.add(negative());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"zero", "negative"});
    CHECK(clock.now() == 0s);
}

TEST_CASE("sleepers wake in deadline order, equal deadlines in await order", "[events][sleep]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    cogen::test::Log log;
    auto s = [&](std::string name, std::chrono::milliseconds d) -> Coro<> {
        co_await cogen::Sleep{d};
        log(name);
    };
    sched.add(s("c", 30ms));
    sched.add(s("a", 10ms));
    sched.add(s("b1", 20ms));
    sched.add(s("b2", 20ms));
    sched.run();
    CHECK(log.items == std::vector<std::string>{"a", "b1", "b2", "c"});
}

TEST_CASE("Sleep accepts a priority", "[events][sleep]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    auto s = []() -> Coro<> { co_await cogen::Sleep{1ms, cogen::Priority::FIRST}; };
    auto ref = sched.add(s());
    sched.run();
    CHECK(ref.state() == cogen::CoroState::finished);
}
