// Chapter 05: Join and signal
// Builds on: 04.  New here: AddCoro, CoroRef, Join, Call, Signal, WaitForSignal, Priority.
// Run: build/tutorials/05-join-and-signal/tutorial-05   (output: expected.txt)
//
// Coroutines that wait for each other. Every tool here is an ordinary
// operation: it parks its coroutine in a list (the joiners of a coroutine,
// the waiters of a signal) and another operation, or the end of another
// coroutine, schedules it again. What differs is *who runs first* when
// several coroutines become runnable at once, and that is what cogen's
// priorities decide.
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cogen/cogen.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::CoroRef;
using cogen::Priority;
using cogen::Value;

// Scheduler time in whole milliseconds, for the printouts.
long long ms(std::chrono::nanoseconds t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
}

// [step 1] start coroutines from a coroutine, and join them
//
// AddCoro is Scheduler::add from inside a coroutine: co_await yields the new
// coroutine's CoroRef<T>, a copyable handle. Join parks the caller in the
// target's list of joiners; when the target returns, the joiner resumes and
// co_await yields the target's co_return value.
// A coroutine with a result: Coro<int>, and co_return instead of return.
Coro<int> square_slowly(cogen::ManualClock& clock, int n) {
    co_await cogen::Sleep{std::chrono::milliseconds(100 * n)};
    std::printf("  t=%lldms square_slowly(%d) returns %d\n", ms(clock.now()), n, n * n);
    co_return n* n;
}

void add_and_join() {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};

    auto boss = [&]() -> Coro<> {
        // The options name the new coroutine, for the printouts and traces.
        CoroRef<int> a = co_await cogen::AddCoro{square_slowly(clock, 3), {.name = "three"}};
        CoroRef<int> b = co_await cogen::AddCoro{square_slowly(clock, 1), {.name = "one"}};
        std::printf("  t=%lldms boss started '%s' and '%s'\n", ms(clock.now()), a.name().c_str(),
                    b.name().c_str());
        // Parks until 'three' returns (at t=300ms), then yields its 9.
        const int from_a = co_await cogen::Join{a};
        std::printf("  t=%lldms boss joined '%s': %d\n", ms(clock.now()), a.name().c_str(), from_a);
        // `b` finished long ago: joining a finished coroutine completes at once.
        std::printf("  '%s' is %s\n", b.name().c_str(), cogen::to_string(b.state()));
        const int from_b = co_await cogen::Join{b};
        std::printf("  t=%lldms boss joined '%s': %d\n", ms(clock.now()), b.name().c_str(), from_b);
    };
    sched.add(boss(), {.name = "boss"});
    sched.run();
}

// [step 2] call a sub-coroutine and use its result in place
//
// Call runs another coroutine as a sub-routine: the caller waits, the callee
// runs on the scheduler's loop (not on the caller's stack), and its end
// resumes the caller at once with its result, or with its exception.
Coro<int> parse_digit(char c) {
    co_await cogen::Yield{};  // a callee may await anything, like any coroutine
    if (c < '0' || c > '9') throw std::invalid_argument(std::string("not a digit: ") + c);
    co_return c - '0';
}

// Calls parse_digit once per character; each Call suspends parse_number
// until the digit is parsed, or rethrows what parse_digit threw.
Coro<int> parse_number(std::string text) {
    int value = 0;
    for (char c : text) value = value * 10 + co_await cogen::Call{parse_digit(c)};
    co_return value;
}

void call_sub_coroutines() {
    cogen::Scheduler sched;
    auto user = [&]() -> Coro<> {
        const int n = co_await cogen::Call{parse_number("2024")};
        std::printf("  parse_number(\"2024\") = %d\n", n);
        // The exception crosses two levels of Call, unchanged.
        try {
            co_await cogen::Call{parse_number("20x4")};
        } catch (const std::invalid_argument& e) {
            std::printf("  parse_number(\"20x4\") threw: %s\n", e.what());
        }
    };
    sched.add(user());
    sched.run();
}

// [step 3] signals: wake everybody waiting on a name
//
// WaitForSignal{"name"} parks in the signal's waiter list. Signal{"name", v}
// wakes every waiter present at that moment, each receiving v, and co_await
// yields how many it woke. Signals are not latched: a signal nobody waits for
// is lost. With `recipients` = n, the signaler instead waits until n
// coroutines wait, then fires.
void signals() {
    cogen::Scheduler sched;

    // Both waiters start waiting before the starter runs (they are added
    // first), so the first signal finds them.
    auto waiter = [&](const char* name) -> Coro<> {
        const Value v = co_await cogen::WaitForSignal{"go"};
        std::printf("  %s received %s\n", name, v.to_string().c_str());
    };
    auto starter = [&]() -> Coro<> {
        const std::size_t woken = co_await cogen::Signal{"go", Value{42}};
        std::printf("  starter: Signal{\"go\", 42} woke %zu\n", woken);
        const std::size_t nobody = co_await cogen::Signal{"go", Value{43}};
        std::printf("  starter: Signal{\"go\", 43} woke %zu: the signal is lost\n", nobody);
    };
    sched.add(waiter("w1"));
    sched.add(waiter("w2"));
    sched.add(starter());
    sched.run();

    auto eager = [&]() -> Coro<> {
        std::printf("  eager: Signal{\"ready\", recipients = 2} waits for two waiters\n");
        // recipients = 2: park until two coroutines wait on "ready".
        const std::size_t woken = co_await cogen::Signal{"ready", Value{"dinner"}, 2};
        std::printf("  eager: woke %zu\n", woken);
    };
    // The listeners arrive 10ms after the signal was sent.
    auto late = [&](const char* name) -> Coro<> {
        co_await cogen::Sleep{10ms};
        std::printf("  %s starts waiting\n", name);
        const Value v = co_await cogen::WaitForSignal{"ready"};
        std::printf("  %s received %s\n", name, v.to_string().c_str());
    };
    sched.add(eager());
    sched.add(late("l1"));
    sched.add(late("l2"));
    sched.run();
}

// [step 4] priorities decide who runs first
//
// A Signal makes several coroutines runnable at once: its waiters and the
// signaler itself. cogen's priority is a property of the *operation*, with
// two bits:
//   OP   favours the coroutines the op wakes: the waiters go to the *front*
//        of the active queue (so the last registered ends up first), instead
//        of the back in registration order;
//   CORO favours the coroutine that issued the op: the signaler goes to the
//        front instead of the back.
// LAST is neither bit, FIRST is both. The same scene is played four times;
// each coroutine notes when it resumes after the signal.
std::string resume_order(Priority prio) {
    cogen::Scheduler sched;
    std::string order;
    auto note = [&](const char* name) { order += order.empty() ? name : std::string(" ") + name; };

    auto waiter = [&](const char* name) -> Coro<> {
        co_await cogen::WaitForSignal{"go"};
        note(name);
    };
    // The fourth argument is the priority; the value and the recipients
    // keep their defaults.
    auto signaler = [&]() -> Coro<> {
        co_await cogen::Signal{"go", Value{}, 0, prio};
        note("signaler");
    };
    sched.add(waiter("w1"));
    sched.add(waiter("w2"));
    sched.add(waiter("w3"));
    sched.add(signaler());
    sched.run();
    return order;
}

// One line per priority: the order in which the four coroutines resumed.
void priorities() {
    for (Priority p : {Priority::LAST, Priority::OP, Priority::CORO, Priority::FIRST})
        std::printf("  %-5s: %s\n", cogen::to_string(p), resume_order(p).c_str());
}

// [step 5] a failure travels to the joiner
//
// An exception that escapes a coroutine fails it. The scheduler reports it
// once, through Options::error_sink (stderr by default; here, stdout so the
// test sees it), and every joiner gets the same exception rethrown at its
// co_await Join. Nobody else is disturbed.
void failure_reaches_the_joiner() {
    cogen::Scheduler sched{{.error_sink = [](std::string_view report) {
        std::printf("  error_sink: %.*s\n", static_cast<int>(report.size()), report.data());
    }}};
    // Fails on its second turn, after the supervisor started joining it.
    auto fragile = []() -> Coro<int> {
        co_await cogen::Yield{};
        throw std::runtime_error("out of cheese");
    };
    auto supervisor = [&]() -> Coro<> {
        CoroRef<int> child = co_await cogen::AddCoro{fragile(), {.name = "fragile"}};
        try {
            co_await cogen::Join{child};
        } catch (const std::runtime_error& e) {
            std::printf("  supervisor: '%s' failed with \"%s\"\n", child.name().c_str(), e.what());
        }
        // The handle outlives the coroutine and remembers how it ended.
        std::printf("  supervisor: '%s' is %s\n", child.name().c_str(),
                    cogen::to_string(child.state()));
    };
    sched.add(supervisor(), {.name = "supervisor"});
    sched.run();
}

// Every step builds its own scheduler: nothing carries over between them.
int main() {
    std::printf("--- step 1: AddCoro and Join ---\n");
    add_and_join();
    std::printf("--- step 2: Call ---\n");
    call_sub_coroutines();
    std::printf("--- step 3: Signal and WaitForSignal ---\n");
    signals();
    std::printf("--- step 4: priorities ---\n");
    priorities();
    std::printf("--- step 5: failures and joiners ---\n");
    failure_reaches_the_joiner();
}
