#include "cogen/events/join.hpp"  // header under test first

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "cogen/trace_event_view.hpp"
#include "support/log.hpp"
#include "support/recording_instrument.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::Priority;
using cogen::test::Log;

TEST_CASE("Join yields the target's result when it finishes", "[events][join]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    auto target = [&]() -> Coro<int> {
        co_await cogen::Sleep{1s};
        co_return 42;
    };
    int got = 0;
    auto t = sched.add(target());
    auto joiner = [&]() -> Coro<> { got = co_await cogen::Join{t}; };
    sched.add(joiner());
    sched.run();
    CHECK(got == 42);
}

TEST_CASE("joining a finished coroutine completes at once with its result (Q5)", "[events][join]") {
    cogen::Scheduler sched;
    auto quick = []() -> Coro<int> { co_return 5; };
    auto t = sched.add(quick());
    sched.run();
    int got = 0;
    auto joiner = [&]() -> Coro<> { got = co_await cogen::Join{t}; };
    sched.add(joiner());
    sched.run();
    CHECK(got == 5);
}

TEST_CASE("a Join timeout counts against the target (Q4)", "[events][join][timeout]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    auto slow = []() -> Coro<int> {
        co_await cogen::Sleep{2s};
        co_return 9;
    };
    Log log;
    auto t = sched.add(slow());
    auto patient = [&]() -> Coro<> { log(co_await cogen::Join{t, 5s}); };
    auto impatient = [&]() -> Coro<> {
        try {
            co_await cogen::Join{t, 1s};
        } catch (const cogen::OperationTimeout&) {
            log("impatient timed out");
        }
    };
    sched.add(patient());
    sched.add(impatient());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"impatient timed out", "9"});
    CHECK(t.state() == cogen::CoroState::finished);
}

TEST_CASE("several joiners: the most recent runs first, then the others in cogen's order",
          "[events][join][priority]") {
    for (Priority def : {Priority::LAST, Priority::FIRST}) {
        cogen::ManualClock clock;
        cogen::Scheduler sched{{.default_priority = def, .clock = &clock}};
        Log log;
        auto target = []() -> Coro<> { co_await cogen::Sleep{1s}; };
        auto t = sched.add(target());
        auto joiner = [&](std::string name) -> Coro<> {
            co_await cogen::Join{t};
            log(name);
        };
        sched.add(joiner("j1"));
        sched.add(joiner("j2"));
        sched.add(joiner("j3"));
        sched.run();
        INFO("default priority " << cogen::to_string(def));
        if (def == Priority::LAST) {
            CHECK(log.items == std::vector<std::string>{"j3", "j1", "j2"});
        } else {
            CHECK(log.items == std::vector<std::string>{"j3", "j2", "j1"});
        }
    }
}

TEST_CASE("Join<void> waits for a coroutine returning nothing", "[events][join]") {
    cogen::Scheduler sched;
    Log log;
    auto target = [&]() -> Coro<> {
        co_await cogen::Yield{};
        log("target");
    };
    auto t = sched.add(target());
    auto joiner = [&]() -> Coro<> {
        co_await cogen::Join{t};
        log("joined");
    };
    sched.add(joiner());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"target", "joined"});
}

// A label is interned once and kept for the whole run: a join or call names its coroutine
// by id (TraceEvent::target), so a program that joins or calls a new coroutine per request
// does not grow its trace's string table.
TEST_CASE("traced joins and calls name their coroutine by id, with no label per coroutine",
          "[events][join][call][trace]") {
    const auto run = [](int n) {
        cogen::test::RecordingInstrument rec;
        cogen::Scheduler sched{{.instrument = &rec}};
        auto child = []() -> Coro<int> { co_return 1; };
        auto parent = [&]() -> Coro<> {
            for (int i = 0; i < n; ++i) {
                co_await cogen::Call{child()};
                auto ref = co_await cogen::AddCoro{child()};
                co_await cogen::Join{ref};
            }
        };
        sched.add(parent());
        sched.run();
        std::size_t targets = 0;
        for (const cogen::TraceEvent& e : rec.events()) {
            if (e.kind != cogen::EventKind::op_process) continue;
            const std::string type = rec.str(e.op_type);
            if (type != "Join" && type != "Call") continue;
            CHECK(e.text == 0);
            CHECK(cogen::EventView{e}.joined() != 0);
            ++targets;
        }
        CHECK(targets == 2 * static_cast<std::size_t>(n));
        return rec.string_count();
    };
    CHECK(run(3) == run(300));
}
