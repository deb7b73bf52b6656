// Chapter 04: Spawning, finishing, joining
// Builds on: 03.  New here: AddCoro, CoroRef, Join, Call, error_sink, failed coroutines.
// Run: build/tutorials/04-spawning-finishing-joining/tutorial-04   (output: expected.txt)
//
// Coroutines that start other coroutines and wait for them to end. Each tool is an operation
// of chapter 03's kind: Join parks its coroutine in the target's list of joiners, and the
// target's end makes it runnable again, with the target's result or its exception. A
// coroutine that fails with nobody joining it is reported by the scheduler, and that is all:
// nobody's code sees the exception.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "cogen/cogen.hpp"
#include "tutorial/chapter.hpp"

using cogen::Coro;
using cogen::CoroRef;
using cogen::tutorial::Stage;

// [step 1] start coroutines from a coroutine, and join them
//
// AddCoro is sched.add() as an operation: co_await gives back the new coroutine's
// CoroRef<T>, a copyable handle that knows its name, its state and, once it has ended, its
// result. With the default priority, AddCoro puts the child at the *front* of the active
// queue and the adder at the *back*; the child's first turn is its start round (chapter 03),
// which sends it behind the adder. Join parks the caller in the target's list of joiners;
// co_await gives back the target's co_return value.
Coro<int> square(int n) {
    for (int turn = 1; turn <= n; ++turn) {
        std::printf("  square(%d): turn %d\n", n, turn);
        co_await cogen::Yield{};
    }
    std::printf("  square(%d): returns %d\n", n, n * n);
    co_return n* n;
}

Coro<> boss() {
    CoroRef<int> three = co_await cogen::AddCoro{square(3), {.name = "three"}};
    CoroRef<int> one = co_await cogen::AddCoro{square(1), {.name = "one"}};
    std::printf("  boss: started '%s' and '%s', joining '%s'\n", three.name().c_str(),
                one.name().c_str(), three.name().c_str());
    const int from_three = co_await cogen::Join{three};
    std::printf("  boss: joined '%s': %d\n", three.name().c_str(), from_three);
    // `one` ended long ago: joining a finished coroutine completes at once (ready).
    std::printf("  boss: '%s' is %s, joining it\n", one.name().c_str(),
                cogen::to_string(one.state()));
    const int from_one = co_await cogen::Join{one};
    std::printf("  boss: joined '%s': %d\n", one.name().c_str(), from_one);
}

void add_and_join(Stage& stage) {
    stage.sched.add(boss(), {.name = "boss"});
}

// [step 2] call a sub-coroutine and use its result in place
//
// Call runs another coroutine like a function call that may suspend: the caller parks, the
// callee runs on the scheduler's loop (not on the caller's stack), and its end resumes the
// caller at once, with its value or with its exception.
Coro<int> parse_digit(char c) {
    co_await cogen::Yield{};  // a callee may await anything, like any coroutine
    if (c < '0' || c > '9') throw std::invalid_argument(std::string("not a digit: ") + c);
    co_return c - '0';
}

Coro<int> parse_number(std::string text) {
    int value = 0;
    for (char c : text) value = value * 10 + co_await cogen::Call{parse_digit(c)};
    co_return value;
}

Coro<> user() {
    const int n = co_await cogen::Call{parse_number("2024")};
    std::printf("  user: parse_number(\"2024\") = %d\n", n);
    try {
        co_await cogen::Call{parse_number("20x4")};  // the exception crosses two Calls
        std::printf("  user: not reached\n");
    } catch (const std::invalid_argument& e) {
        std::printf("  user: parse_number(\"20x4\") threw: %s\n", e.what());
    }
}

void call_sub_coroutines(Stage& stage) {
    stage.sched.add(user(), {.name = "user"});
}

// [step 3] a failure reaches the joiner
//
// An exception that escapes a coroutine fails it. The scheduler reports the failure once,
// through SchedulerOptions::error_sink (stderr by default; this chapter prints it on stdout),
// and every joiner gets the same exception rethrown at its co_await Join.
Coro<int> fragile() {
    std::printf("  fragile: working\n");
    co_await cogen::Yield{};
    std::printf("  fragile: throwing\n");
    throw std::runtime_error("out of cheese");
}

Coro<> supervisor() {
    CoroRef<int> child = co_await cogen::AddCoro{fragile(), {.name = "fragile"}};
    std::printf("  supervisor: joining '%s'\n", child.name().c_str());
    try {
        const int result = co_await cogen::Join{child};
        std::printf("  supervisor: got %d\n", result);
    } catch (const std::runtime_error& e) {
        std::printf("  supervisor: '%s' failed with \"%s\"\n", child.name().c_str(), e.what());
    }
    // The handle outlives the coroutine and remembers how it ended.
    std::printf("  supervisor: '%s' is %s\n", child.name().c_str(),
                cogen::to_string(child.state()));
}

void failure_reaches_the_joiner(Stage& stage) {
    stage.sched.add(supervisor(), {.name = "supervisor"});
}

// [step 4] a failure nobody waits for is only reported
//
// The same child, started and forgotten: nobody joins it. Its exception goes nowhere but the
// error_sink. The spawner goes on as if nothing happened, and run() returns normally.
Coro<> forgetful() {
    co_await cogen::AddCoro{fragile(), {.name = "fragile"}};
    std::printf("  forgetful: started 'fragile', going on with my work\n");
    for (int turn = 1; turn <= 3; ++turn) {
        std::printf("  forgetful: turn %d\n", turn);
        co_await cogen::Yield{};
    }
    std::printf("  forgetful: done, all well as far as I know\n");
}

void failure_nobody_waits_for(Stage& stage) {
    stage.sched.add(forgetful(), {.name = "forgetful"});
}

void after_run(Stage& stage) {
    std::printf("  run() returned normally, %zu coroutine(s) alive\n", stage.sched.alive());
}

// The failure reports go to stdout, indented like the story, so expected.txt holds them.
cogen::SchedulerOptions report_on_stdout() {
    return {.error_sink = [](std::string_view report) {
        std::printf("  error_sink: %.*s\n", static_cast<int>(report.size()), report.data());
    }};
}

// [step 5] the claims, checked on the trace
int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    using cogen::EventKind;
    Chapter chapter{
        .number = 4,
        .title = "Spawning, finishing, joining",
        .scenes =
            {
                {.title = "step 1: AddCoro and Join", .setup = add_and_join},
                {.title = "step 2: Call", .setup = call_sub_coroutines},
                {.title = "step 3: a failure reaches the joiner",
                 .setup = failure_reaches_the_joiner,
                 .after = after_run,
                 .options = report_on_stdout()},
                {.title = "step 4: a failure nobody waits for",
                 .setup = failure_nobody_waits_for,
                 .after = after_run,
                 .options = report_on_stdout()},
            },
        // The moment: 'fragile' fails while the supervisor waits in its list of joiners.
        .moment = {.name = "the first failure",
                   .scene = 2,
                   .when = match::kind(EventKind::coro_fail)},
        .view = "diagram",
        .check =
            [](const Run& run) {
                auto print = [&](std::size_t scene, const EventMatch& m) {
                    for (const std::string& line : run.trace(scene).lines(m))
                        std::printf("  %s\n", line.c_str());
                };
                // Who runs, in order, until the boss parks in its first Join.
                std::printf("P1: step 1, the resumes until the boss parks in Join:\n");
                bool boss_parked = false;
                print(0, [&boss_parked](const Event& e) {
                    if (boss_parked) return false;
                    if (e.is(EventKind::op_process) && e.op_type == "Join") boss_parked = true;
                    return e.is(EventKind::coro_resume) || boss_parked;
                });
                std::printf(
                    "P2: step 1, the boss's two Joins: the first parks, the second is "
                    "ready at once:\n");
                print(0, match::op_process("boss", "Join"));
                std::printf(
                    "P3: step 2, two coroutines fail (parse_digit, then parse_number, "
                    "which did not catch), and user catches:\n");
                print(1, [](const Event& e) {
                    return e.is(EventKind::coro_fail) ||
                           (e.is(EventKind::coro_resume) && e.coro == "user" && e.raw.op != 0);
                });

                // Step 3's claim: the supervisor parks in Join, then 'fragile' fails, and only
                // then does the supervisor resume (with the exception).
                std::uint64_t parked = 0, failed = 0, back = 0;
                for (const Event& e : run.trace(2).events()) {
                    if (parked == 0 && e.is(EventKind::op_process) && e.op_type == "Join")
                        parked = e.raw.seq;
                    if (failed == 0 && e.is(EventKind::coro_fail)) failed = e.raw.seq;
                    if (back == 0 && parked != 0 && e.is(EventKind::coro_resume) &&
                        e.coro == "supervisor")
                        back = e.raw.seq;
                }
                if (!(parked != 0 && parked < failed && failed < back))
                    claim_failed(4, "the supervisor waits in Join until 'fragile' fails");
                std::printf(
                    "P4: step 3, the supervisor parks in Join; the failure wakes it with "
                    "the exception:\n");
                print(2, [](const Event& e) {
                    return (e.is(EventKind::op_process) && e.op_type == "Join") ||
                           e.is(EventKind::coro_fail) || e.is(EventKind::op_ready) ||
                           (e.is(EventKind::coro_resume) && e.coro == "supervisor" &&
                            e.raw.op != 0);
                });

                // Step 4's claim: nobody joins, so nobody's code sees the exception.
                const std::size_t joins = run.trace(3).count(match::op_process("", "Join"));
                const std::size_t fails = run.trace(3).count(match::kind(EventKind::coro_fail));
                if (joins != 0 || fails != 1) claim_failed(4, "step 4 has one failure and no Join");
                std::printf(
                    "P5: step 4, %zu failure, %zu Join: the error_sink's line is all "
                    "there is\n",
                    fails, joins);
                print(3, match::kind(EventKind::coro_fail));
            },
    };
    return run(chapter, argc, argv);
}
