// The coroutine record (cogen/coro.hpp): its rarely used parts (name,
// joiners) live out of line, the default name is built when first asked.
#include "cogen/coro.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"

using namespace std::chrono_literals;
using cogen::Coro;

TEST_CASE("the default name is coro-<id>, also when first asked after the end", "[coro][names]") {
    cogen::Scheduler sched;
    auto nop = []() -> Coro<> { co_return; };
    auto a = sched.add(nop());
    auto b = sched.add(nop(), {.name = ""});  // empty: the default too
    auto c = sched.add(nop(), {.name = "given"});
    sched.run();
    CHECK(a.name() == "coro-1");
    CHECK(b.name() == "coro-2");
    CHECK(c.name() == "given");
    CHECK(&a.name() == &a.name());  // built once, then the same string
}

TEST_CASE("an unnamed coroutine's failure report names it coro-<id> and its last op",
          "[coro][names][errors]") {
    cogen::ManualClock clock;
    std::vector<std::string> reports;
    cogen::Scheduler sched{
        {.clock = &clock, .error_sink = [&](std::string_view m) { reports.emplace_back(m); }}};
    auto bad = []() -> Coro<> {
        co_await cogen::Sleep{1ms};
        throw std::runtime_error("boom");
    };
    sched.add(bad());
    sched.run();
    REQUIRE(reports.size() == 1);
    CHECK(reports[0] == "cogen: coroutine 1 'coro-1' failed (last op: Sleep): boom");
}

TEST_CASE("several joiners of one coroutine all wake, a cancelled joiner is removed",
          "[coro][join]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    auto target = [&]() -> Coro<int> {
        co_await cogen::Sleep{10ms};
        co_return 7;
    };
    auto ref = sched.add(target());
    int sum = 0;
    auto joiner = [&]() -> Coro<> {
        const int v = co_await cogen::Join{ref};
        sum += v;
    };
    auto j1 = sched.add(joiner());
    auto j2 = sched.add(joiner());
    auto j3 = sched.add(joiner());
    while (cogen::SchedulerObserver{sched}.active_size() > 0) sched.step();
    j2.cancel();
    sched.run();
    CHECK(sum == 14);
    CHECK(j1.state() == cogen::CoroState::finished);
    CHECK(j2.state() == cogen::CoroState::killed);
    CHECK(j3.state() == cogen::CoroState::finished);
}

TEST_CASE("the coroutine record stays small", "[coro][size]") {
    // make_shared adds a 16-byte control block; 104 + 16 fits a 128-byte
    // malloc chunk (a timer's bytes: bench/RESULTS.md). Keep rarely used fields
    // (name, joiners, pipe) in Coroutine::Extras.
    CHECK(sizeof(cogen::CoroutineOf<void>) <= 104);
}
