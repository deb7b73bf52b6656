#include "cogen/timeout.hpp"  // header under test first

#include <catch2/catch.hpp>

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

TEST_CASE("default_timeout applies to ops without their own; Timeout::never opts out",
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

TEST_CASE("a negative timeout is already expired; a zero timeout means none", "[timeout]") {
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
