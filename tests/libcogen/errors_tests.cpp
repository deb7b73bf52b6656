#include "cogen/errors.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "support/log.hpp"
#include "support/recording_instrument.hpp"

using namespace std::chrono_literals;
using cogen::Coro;

namespace {
struct Reports {
    std::vector<std::string> lines;
    std::function<void(std::string_view)> sink() {
        return [this](std::string_view s) { lines.emplace_back(s); };
    }
};
}  // namespace

TEST_CASE(
    "a coroutine that throws in its first line fails, is reported once, and the scheduler "
    "goes on",
    "[errors]") {
    Reports reports;
    cogen::Scheduler sched{{.error_sink = reports.sink()}};
    cogen::test::Log log;
    auto bad = []() -> Coro<> {
        throw std::runtime_error("boom");
        co_return;
    };
    auto good = [&]() -> Coro<> {
        co_await cogen::Yield{};
        log("good ran");
    };
    auto b = sched.add(bad(), {.name = "bad"});
    sched.add(good());
    sched.run();
    CHECK(b.state() == cogen::CoroState::failed);
    CHECK(log.items == std::vector<std::string>{"good ran"});
    REQUIRE(reports.lines.size() == 1);
    CHECK(reports.lines[0] == "cogen: coroutine 1 'bad' failed: boom");
}

TEST_CASE("the failure reaches every joiner, and is still reported only once", "[errors][join]") {
    Reports reports;
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock, .error_sink = reports.sink()}};
    auto bad = []() -> Coro<int> {
        co_await cogen::Sleep{10ms};
        throw std::runtime_error("late boom");
    };
    auto target = sched.add(bad(), {.name = "bad"});
    int caught = 0;
    auto joiner = [&]() -> Coro<> {
        try {
            co_await cogen::Join{target};
        } catch (const std::runtime_error& e) {
            if (std::string(e.what()) == "late boom") ++caught;
        }
    };
    sched.add(joiner());
    sched.add(joiner());
    sched.run();
    CHECK(caught == 2);
    REQUIRE(reports.lines.size() == 1);
    CHECK(reports.lines[0] == "cogen: coroutine 1 'bad' failed (last op: Sleep): late boom");
}

namespace {
/// An operation whose process() throws: the exception goes into the coroutine.
class Exploding final : public cogen::OperationOf<int> {
  public:
    cogen::Disposition process(cogen::SchedulerCore&, cogen::Coroutine&) override {
        throw std::invalid_argument("bad op");
    }
    int finalize(cogen::SchedulerCore&) override { return 1; }
    std::string_view name() const override { return "Exploding"; }
};
}  // namespace

TEST_CASE("an exception thrown by process() is thrown into the awaiting coroutine at once",
          "[errors][protocol]") {
    cogen::test::RecordingInstrument rec;
    cogen::Scheduler sched{{.instrument = &rec}};
    bool caught = false;
    auto c = [&]() -> Coro<> {
        try {
            co_await Exploding{};
        } catch (const std::invalid_argument&) {
            caught = true;
        }
    };
    sched.add(c());
    sched.run();
    CHECK(caught);
    // No finalize for a failed op: process, then a resume with the exception.
    CHECK(rec.lines(1) ==
          std::vector<std::string>{"coro.spawn", "coro.resume start", "coro.suspend Exploding",
                                   "op.process Exploding ready", "coro.resume Exploding exception",
                                   "coro.finish"});
}

TEST_CASE("destroying a scheduler mid-run destroys every frame and undoes registrations",
          "[errors][teardown]") {
    int destroyed = 0;
    struct Guard {
        int* n;
        ~Guard() { ++*n; }
    };
    auto forever_signal = [&]() -> Coro<> {
        Guard g{&destroyed};
        co_await cogen::WaitForSignal{"never"};
    };
    auto forever_sleep = [&]() -> Coro<> {
        Guard g{&destroyed};
        co_await cogen::Sleep{1h};
    };
    auto never_started = [&]() -> Coro<> {
        Guard g{&destroyed};
        co_return;
    };
    cogen::CoroRef<> a, b, c;
    {
        cogen::ManualClock clock;
        cogen::Scheduler sched{{.clock = &clock}};
        a = sched.add(forever_signal());
        b = sched.add(forever_sleep());
        sched.step();  // a: start round
        sched.step();
        sched.step();
        sched.step();
        sched.step();
        c = sched.add(never_started());
    }
    CHECK(destroyed >= 2);
    CHECK(a.state() == cogen::CoroState::killed);
    CHECK(b.state() == cogen::CoroState::killed);
    CHECK(c.state() == cogen::CoroState::killed);
    CHECK_THROWS_AS(a.result(), cogen::Cancelled);
}

TEST_CASE("cancelling a sleeping coroutine cleans up and throws Cancelled at its co_await",
          "[errors][cancel]") {
    cogen::ManualClock clock;
    cogen::test::RecordingInstrument rec;
    cogen::Scheduler sched{{.clock = &clock, .instrument = &rec}};
    cogen::test::Log log;
    auto sleeper = [&]() -> Coro<> {
        try {
            co_await cogen::WaitForSignal{"x", 10s};
        } catch (const cogen::Cancelled&) {
            log("cancelled");
            throw;
        }
    };
    auto victim = sched.add(sleeper(), {.name = "victim"});
    auto canceller = [&]() -> Coro<> {
        co_await cogen::Sleep{1s};
        victim.cancel();
        int joined = 0;
        try {
            co_await cogen::Join{victim};
        } catch (const cogen::Cancelled&) {
            joined = 1;
        }
        log(joined);
    };
    sched.add(canceller());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"cancelled", "1"});
    CHECK(victim.state() == cogen::CoroState::killed);
    CHECK(rec.count(cogen::EventKind::op_cleanup) == 1);
    CHECK(rec.count(cogen::EventKind::coro_kill) == 1);
    CHECK(rec.count(cogen::EventKind::coro_fail) == 0);
    CHECK(clock.now() == 1s);  // the 10 s timeout was disarmed
}

TEST_CASE("cancelling a coroutine not started yet drops it, its joiners get Cancelled",
          "[errors][cancel]") {
    cogen::Scheduler sched;
    bool ran = false;
    auto body = [&]() -> Coro<int> {
        ran = true;
        co_return 1;
    };
    auto ref = sched.add(body());
    ref.cancel();
    sched.run();
    CHECK_FALSE(ran);
    CHECK(ref.state() == cogen::CoroState::killed);
    CHECK_THROWS_AS(ref.result(), cogen::Cancelled);
}

TEST_CASE("a coroutine that catches Cancelled keeps running", "[errors][cancel]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    auto stubborn = []() -> Coro<int> {
        try {
            co_await cogen::Sleep{1h};
        } catch (const cogen::Cancelled&) {
        }
        co_await cogen::Sleep{1s};
        co_return 7;
    };
    auto ref = sched.add(stubborn());
    sched.step();
    sched.step();
    sched.step();
    ref.cancel();
    sched.run();
    CHECK(ref.state() == cogen::CoroState::finished);
    CHECK(ref.result() == 7);
}

TEST_CASE("a coroutine can cancel itself: Cancelled arrives at its next co_await",
          "[errors][cancel]") {
    cogen::Scheduler sched;
    cogen::CoroRef<> self;
    bool after = false;
    auto body = [&]() -> Coro<> {
        self.cancel();
        co_await cogen::Yield{};
        after = true;
    };
    self = sched.add(body());
    sched.run();
    CHECK_FALSE(after);
    CHECK(self.state() == cogen::CoroState::killed);
}
