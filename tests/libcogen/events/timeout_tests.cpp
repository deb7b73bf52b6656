#include "cogen/timeout.hpp"  // header under test first

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "support/log.hpp"
#include "support/recording_instrument.hpp"

using namespace std::chrono_literals;
using cogen::Coro;

TEST_CASE("a strong timeout throws OperationTimeout at the deadline, naming the op", "[timeout]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    const cogen::Operation* expired = nullptr;
    const cogen::Operation* awaited = nullptr;
    std::chrono::nanoseconds at{};
    auto w = [&]() -> Coro<> {
        auto op = cogen::WaitForSignal{"never", 500ms};
        awaited = &op;
        try {
            co_await op;
        } catch (const cogen::OperationTimeout& e) {
            expired = e.op();
            at = clock.now();
        }
    };
    sched.add(w());
    sched.run();
    CHECK(expired == awaited);
    CHECK(at == 500ms);
}

TEST_CASE("a timed-out op goes through cleanup instead of finalize", "[timeout][protocol]") {
    cogen::ManualClock clock;
    cogen::test::RecordingInstrument rec;
    cogen::Scheduler sched{{.clock = &clock, .instrument = &rec}};
    auto w = []() -> Coro<> {
        try {
            co_await cogen::WaitForSignal{"never", 1s};
        } catch (const cogen::OperationTimeout&) {
        }
    };
    sched.add(w());
    sched.run();
    CHECK(rec.lines(1) ==
          std::vector<std::string>{"coro.spawn", "coro.resume start", "coro.suspend WaitForSignal",
                                   "op.process WaitForSignal wait:signal",
                                   "timer.fire WaitForSignal", "op.timeout WaitForSignal",
                                   "op.cleanup WaitForSignal", "op.ready WaitForSignal timeout",
                                   "coro.resume WaitForSignal exception", "coro.finish"});
}

TEST_CASE("default_timeout applies to ops without their own, Timeout::never opts out",
          "[timeout]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.default_timeout = 2s, .clock = &clock}};
    cogen::test::Log log;
    auto defaulted = [&]() -> Coro<> {
        try {
            co_await cogen::WaitForSignal{"x"};
        } catch (const cogen::OperationTimeout&) {
            log("defaulted timed out");
        }
    };
    auto never = [&]() -> Coro<> {
        co_await cogen::WaitForSignal{"y", cogen::Timeout::never()};
        log("never woke");
    };
    auto waker = [&]() -> Coro<> {
        co_await cogen::Sleep{5s};
        co_await cogen::Signal{"y"};
    };
    sched.add(defaulted());
    sched.add(never());
    sched.add(waker());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"defaulted timed out", "never woke"});
}

TEST_CASE("a negative timeout is already expired, a zero timeout means none", "[timeout]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    cogen::test::Log log;
    auto negative = [&]() -> Coro<> {
        try {
            co_await cogen::WaitForSignal{"x", -1s};
        } catch (const cogen::OperationTimeout&) {
            log("negative expired");
        }
    };
    auto zero = [&]() -> Coro<> {
        co_await cogen::WaitForSignal{"z", 0s};
        log("zero woke by signal");
    };
    auto waker = [&]() -> Coro<> {
        co_await cogen::Sleep{1h};
        co_await cogen::Signal{"z"};
    };
    sched.add(negative());
    sched.add(zero());
    sched.add(waker());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"negative expired", "zero woke by signal"});
    CHECK(clock.now() == 1h);
}

namespace {
/// A custom timed op that makes progress on demand, for weak timeouts.
class Progressing final : public cogen::TimedOperation<int> {
  public:
    explicit Progressing(cogen::Timeout t) : TimedOperation(t) {}
    cogen::Disposition process(cogen::SchedulerCore& s, cogen::Coroutine& c) override {
        TimedOperation::process(s, c);
        current = this;
        return cogen::Disposition::parked;
    }
    int finalize(cogen::SchedulerCore&) override { return 1; }
    void cleanup(cogen::SchedulerCore&, cogen::Coroutine&) override { current = nullptr; }
    std::string_view name() const override { return "Progressing"; }
    void progress() { record_progress(); }
    static inline Progressing* current = nullptr;
};
}  // namespace

TEST_CASE("a weak timeout is re-armed by progress and fires after a quiet period (Q10)",
          "[timeout][weak]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    std::chrono::nanoseconds timed_out_at{-1};
    auto w = [&]() -> Coro<> {
        try {
            co_await Progressing{{1s, true}};
        } catch (const cogen::OperationTimeout&) {
            timed_out_at = clock.now();
        }
    };
    auto pusher = [&]() -> Coro<> {
        for (int i = 0; i < 3; ++i) {
            co_await cogen::Sleep{600ms};
            if (Progressing::current) Progressing::current->progress();
        }
    };
    sched.add(w());
    sched.add(pusher());
    sched.run();
    // Progress at 0.6, 1.2, 1.8 s; quiet after that: fires at 1.8 + 1 = 2.8 s.
    CHECK(timed_out_at == 2800ms);
}

namespace {
/// A manual clock that remembers every time the scheduler moved it (to a deadline).
class StopsClock final : public cogen::Clock {
  public:
    std::chrono::nanoseconds now() const override { return m_now; }
    bool manual() const noexcept override { return true; }
    void advance_to(std::chrono::nanoseconds t) override {
        if (t > m_now) m_now = t;
        stops.push_back(t);
    }
    std::vector<std::chrono::nanoseconds> stops;

  private:
    std::chrono::nanoseconds m_now{0};
};
}  // namespace

TEST_CASE("progress moves a weak timeout's deadline at once, among other timers",
          "[timeout][weak][timer_heap]") {
    // The timer state lives in the heap node (not in the op): progress re-arms the
    // node when it is recorded, so the scheduler never stops at the stale deadline.
    StopsClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    std::chrono::nanoseconds weak_at{-1};
    std::chrono::nanoseconds strong_at{-1};
    std::vector<std::string> order;
    auto weak = [&]() -> Coro<> {
        try {
            co_await Progressing{{1s, true}};
        } catch (const cogen::OperationTimeout&) {
            weak_at = clock.now();
            order.push_back("weak");
        }
    };
    auto strong = [&]() -> Coro<> {
        try {
            co_await cogen::WaitForSignal{"never", 1500ms};
        } catch (const cogen::OperationTimeout&) {
            strong_at = clock.now();
            order.push_back("strong");
        }
    };
    auto pusher = [&]() -> Coro<> {
        co_await cogen::Sleep{600ms};
        Progressing::current->progress();  // the weak deadline moves 1 s -> 1.6 s
        co_await cogen::Sleep{1400ms};     // wakes at 2.0 s, after both timeouts
        order.push_back("pusher");
    };
    sched.add(weak());
    sched.add(strong());
    sched.add(pusher());
    sched.run();
    CHECK(weak_at == 1600ms);
    CHECK(strong_at == 1500ms);
    CHECK(order == std::vector<std::string>{"strong", "weak", "pusher"});
    // Every stop is a live deadline: 0.6 (the pusher), 1.5, 1.6, 2.0 — never 1.0.
    CHECK(clock.stops == std::vector<std::chrono::nanoseconds>{600ms, 1500ms, 1600ms, 2000ms});
    CHECK(sizeof(cogen::Operation) <= 40);  // no timer slot in the op
}

TEST_CASE("a strong timeout fires at its deadline despite progress", "[timeout][weak]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    std::chrono::nanoseconds timed_out_at{-1};
    auto w = [&]() -> Coro<> {
        try {
            co_await Progressing{{1s, false}};
        } catch (const cogen::OperationTimeout&) {
            timed_out_at = clock.now();
        }
    };
    auto pusher = [&]() -> Coro<> {
        for (int i = 0; i < 3; ++i) {
            co_await cogen::Sleep{300ms};
            if (Progressing::current) Progressing::current->progress();
        }
    };
    sched.add(w());
    sched.add(pusher());
    sched.run();
    CHECK(timed_out_at == 1s);
}

TEST_CASE("a relative timeout starts when the op is awaited, not when it is built (Q11)",
          "[timeout]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    std::chrono::nanoseconds at{-1};
    auto w = [&]() -> Coro<> {
        auto op = cogen::WaitForSignal{"x", 1s};
        co_await cogen::Sleep{5s};
        try {
            co_await op;
        } catch (const cogen::OperationTimeout&) {
            at = clock.now();
        }
    };
    sched.add(w());
    sched.run();
    CHECK(at == 6s);
}
