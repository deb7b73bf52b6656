// The operation protocol as executable checks: process once, run 0..n
// times, then finalize once — or cleanup instead (docs/operation-protocol.md).
#include "cogen/operation.hpp"  // header under test first

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "support/recording_instrument.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::Disposition;

namespace {

/// Counts its hook calls. Ready at once, or parked until release().
class Counting final : public cogen::TimedOperation<int> {
  public:
    struct Calls {
        int process = 0, finalize = 0, cleanup = 0;
    };
    Counting(Calls& calls, bool ready, cogen::Timeout t = {})
        : TimedOperation(t), m_calls(&calls), m_ready(ready) {}

    Disposition process(cogen::SchedulerCore& s, cogen::Coroutine& c) override {
        ++m_calls->process;
        if (m_ready) return Disposition::complete;
        TimedOperation::process(s, c);
        parked = this;
        return Disposition::parked;
    }
    int finalize(cogen::SchedulerCore&) override {
        ++m_calls->finalize;
        return 11;
    }
    void cleanup(cogen::SchedulerCore&, cogen::Coroutine&) override {
        ++m_calls->cleanup;
        parked = nullptr;
    }
    std::string_view name() const override { return "Counting"; }
    cogen::Outcome waits_on() const noexcept override { return cogen::Outcome::other; }

    // From outside a hook (the test body): the scheduler's core, as an op's waker would use it.
    void release(cogen::Scheduler& s) {
        parked = nullptr;
        cogen::SchedulerCore::of(s).schedule(*this, cogen::Placement::back, cogen::Outcome::other);
    }
    static inline Counting* parked = nullptr;

  private:
    Calls* m_calls;
    bool m_ready;
};

}  // namespace

TEST_CASE("ready at once: process, finalize, resume — in that order, once each", "[protocol]") {
    cogen::test::RecordingInstrument rec;
    cogen::Scheduler sched{{.instrument = &rec}};
    Counting::Calls calls;
    int got = 0;
    auto c = [&]() -> Coro<> { got = co_await Counting{calls, true}; };
    sched.add(c());
    sched.run();
    CHECK(got == 11);
    CHECK(calls.process == 1);
    CHECK(calls.finalize == 1);
    CHECK(calls.cleanup == 0);
    CHECK(rec.lines(1) ==
          std::vector<std::string>{"coro.spawn", "coro.resume start", "coro.suspend Counting",
                                   "op.process Counting ready", "op.finalize Counting",
                                   "coro.resume Counting value", "coro.finish"});
}

TEST_CASE("parked then ready: process, op.ready, finalize, resume", "[protocol]") {
    cogen::test::RecordingInstrument rec;
    cogen::Scheduler sched{{.instrument = &rec}};
    Counting::Calls calls;
    int got = 0;
    auto c = [&]() -> Coro<> { got = co_await Counting{calls, false}; };
    auto releaser = [&]() -> Coro<> {
        co_await cogen::Yield{};
        Counting::parked->release(sched);
    };
    sched.add(c());
    sched.add(releaser());
    sched.run();
    CHECK(got == 11);
    CHECK(calls.process == 1);
    CHECK(calls.finalize == 1);
    CHECK(calls.cleanup == 0);
    CHECK(rec.lines(1) == std::vector<std::string>{
                              "coro.spawn", "coro.resume start", "coro.suspend Counting",
                              "op.process Counting wait:other", "op.ready Counting wait:other",
                              "op.finalize Counting", "coro.resume Counting value", "coro.finish"});
}

TEST_CASE("timed out: process, then cleanup instead of finalize, and OperationTimeout",
          "[protocol]") {
    cogen::ManualClock clock;
    cogen::test::RecordingInstrument rec;
    cogen::Scheduler sched{{.clock = &clock, .instrument = &rec}};
    Counting::Calls calls;
    bool timed_out = false;
    auto c = [&]() -> Coro<> {
        try {
            co_await Counting{calls, false, 1s};
        } catch (const cogen::OperationTimeout&) {
            timed_out = true;
        }
    };
    sched.add(c());
    sched.run();
    CHECK(timed_out);
    CHECK(calls.process == 1);
    CHECK(calls.finalize == 0);
    CHECK(calls.cleanup == 1);
    CHECK(rec.lines(1) ==
          std::vector<std::string>{"coro.spawn", "coro.resume start", "coro.suspend Counting",
                                   "op.process Counting wait:other", "timer.fire Counting",
                                   "op.timeout Counting", "op.cleanup Counting",
                                   "op.ready Counting timeout", "coro.resume Counting exception",
                                   "coro.finish"});
}

TEST_CASE("every event has a strictly increasing seq and a non-decreasing time", "[protocol]") {
    cogen::test::RecordingInstrument rec;
    cogen::Scheduler sched{{.instrument = &rec}};
    auto c = []() -> Coro<> {
        for (int i = 0; i < 5; ++i) co_await cogen::Sleep{1ms};
    };
    sched.add(c());
    sched.add(c());
    sched.run();
    REQUIRE(rec.events().size() > 20);
    for (std::size_t i = 1; i < rec.events().size(); ++i) {
        CHECK(rec.events()[i].seq == rec.events()[i - 1].seq + 1);
        CHECK(rec.events()[i].t_ns >= rec.events()[i - 1].t_ns);
    }
    CHECK(rec.events().front().kind == cogen::EventKind::coro_spawn);
    CHECK(rec.events().back().kind == cogen::EventKind::sched_run_end);
}

TEST_CASE("a user-defined operation can be built first and awaited later", "[protocol]") {
    cogen::Scheduler sched;
    Counting::Calls calls;
    int got = 0;
    auto c = [&]() -> Coro<> {
        Counting op{calls, true};
        co_await cogen::Yield{};
        got = co_await op;
    };
    sched.add(c());
    sched.run();
    CHECK(got == 11);
    CHECK(calls.process == 1);
}
