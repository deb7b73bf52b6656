// Chapter 05: Time and the timer heap
// Builds on: 04.  New here: Sleep, the virtual clock, the timer heap, the poll timeout.
// Run: build/tutorials/05-time-and-the-timer-heap/tutorial-05   (output: expected.txt)
//
// Sleep is the first operation that waits for time. Its process() puts the operation on the
// scheduler's timer heap and parks; the loop's timers phase (phase 5 of chapter 03's figure)
// takes it off when its deadline has passed and queues the coroutine. In between, the loop has
// nothing to run, and it must wait without burning a CPU: phase 4 waits exactly until the next
// deadline. The busy-waiting version, shown last, is what you get without a timer heap.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "tutorial/chapter.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::tutorial::Stage;

// [step 1] sleepers wake in deadline order, whatever order they started in
//
// Every scene runs on a virtual clock (cogen::ManualClock) that starts at 0 and moves only
// when the loop has nothing to run: it then jumps straight to the earliest deadline. So the
// program runs instantly and every time it prints is exact, on every machine.
Coro<> sleeper(Stage& stage, const char* name, std::chrono::milliseconds d) {
    std::printf("  t=%3lldms %-6s sleeps %lldms\n", stage.now_ms(), name,
                static_cast<long long>(d.count()));
    co_await cogen::Sleep{d};
    std::printf("  t=%3lldms %-6s wakes\n", stage.now_ms(), name);
}

void wake_order(Stage& stage) {
    stage.sched.add(sleeper(stage, "tea", 300ms), {.name = "tea"});
    stage.sched.add(sleeper(stage, "eggs", 100ms), {.name = "eggs"});
    stage.sched.add(sleeper(stage, "toast", 200ms), {.name = "toast"});
    stage.sched.add(sleeper(stage, "coffee", 100ms), {.name = "coffee"});
}

// [step 2] the loop waits exactly until the next deadline
//
// With nothing runnable, phase 4 of the loop waits: in the proactor's poll (epoll_wait, poll,
// select...) with a timeout equal to the time left to the earliest deadline, or, with no fd
// registered at all, in a plain sleep until then. One wait per deadline, however long.
Coro<> nap(Stage& stage) {
    std::printf("  t=%3lldms nap: sleeping 50ms\n", stage.now_ms());
    co_await cogen::Sleep{50ms};
    std::printf("  t=%3lldms nap: sleeping 30ms\n", stage.now_ms());
    co_await cogen::Sleep{30ms};
    std::printf("  t=%3lldms nap: done\n", stage.now_ms());
}

void one_wait_per_deadline(Stage& stage) {
    stage.sched.add(nap(stage), {.name = "nap"});
}

// [step 3] the timer heap, in miniature
//
// The scheduler keeps every armed deadline in a binary min-heap ordered by (deadline, arming
// order): the earliest is always on top, so "time to the next deadline" is top - now, and
// arming or expiring one timer costs O(log n) however many are armed. This model is
// std::priority_queue; cogen's heap (libcogen/src/detail/timer_heap.hpp) adds one thing:
// every operation knows its index in the heap, so an op that completes before its deadline
// (a WaitForSignal with a timeout that gets its signal) is removed directly.
struct Timer {
    long long deadline_ms;
    unsigned order;  // arming order: equal deadlines fire first-armed first
    std::string name;
    bool operator>(const Timer& other) const {
        return deadline_ms != other.deadline_ms ? deadline_ms > other.deadline_ms
                                                : order > other.order;
    }
};

void model_the_heap(Stage&) {
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> heap;
    unsigned armed = 0;
    for (auto [d, name] : {std::pair{300, "tea"}, {100, "eggs"}, {200, "toast"}, {100, "coffee"}})
        heap.push(Timer{d, armed++, name});
    std::printf("  heap top: %s at %lldms, %zu timers armed\n", heap.top().name.c_str(),
                heap.top().deadline_ms, heap.size());
    while (!heap.empty()) {
        std::printf("  pop %s (%lldms)\n", heap.top().name.c_str(), heap.top().deadline_ms);
        heap.pop();
    }
}

// [step 4] without a timer heap: a busy wait
//
// The same 50ms + 30ms nap, written without Sleep: look at the clock, and if it is too early,
// Yield and look again. The loop never has "nothing to run", so it never waits in phase 4; it
// resumes the napper over and over. On the virtual clock time only moves when the loop waits
// or when a coroutine spends it, so each look at the clock is charged 1ms here
// (stage.clock.advance). A real CPU looks millions of times in 80ms: the count below is the
// kind thing to say about it.
struct Spins {
    int looks = 0;  // how many times busy_nap looked at the clock
};

Coro<> busy_wait(Stage& stage, std::shared_ptr<Spins> spins, std::chrono::milliseconds d) {
    const auto deadline = stage.clock.now() + d;
    while (stage.clock.now() < deadline) {
        ++spins->looks;
        stage.clock.advance(1ms);  // what one look costs, on this virtual clock
        co_await cogen::Yield{};
    }
}

Coro<> busy_nap(Stage& stage, std::shared_ptr<Spins> spins) {
    std::printf("  t=%3lldms busy_nap: waiting 50ms\n", stage.now_ms());
    co_await cogen::Call{busy_wait(stage, spins, 50ms)};
    std::printf("  t=%3lldms busy_nap: waiting 30ms\n", stage.now_ms());
    co_await cogen::Call{busy_wait(stage, spins, 30ms)};
    std::printf("  t=%3lldms busy_nap: done after %d looks at the clock\n", stage.now_ms(),
                spins->looks);
}

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    using cogen::EventKind;
    Chapter chapter{
        .number = 5,
        .title = "Time and the timer heap",
        .scenes =
            {
                {.title = "step 1: wake order", .setup = wake_order},
                {.title = "step 2: one wait per deadline", .setup = one_wait_per_deadline},
                {.title = "step 3: a timer heap", .setup = model_the_heap},
                {.title = "step 4: a busy wait",
                 .setup =
                     [](Stage& s) {
                         s.sched.add(busy_nap(s, std::make_shared<Spins>()), {.name = "busy_nap"});
                     }},
            },
        .moment = {.name = "the first timer that fires",
                   .scene = 0,
                   .when = match::kind(EventKind::timer_fire)},
        .view = "diagram",
        .check =
            [](const Run& run) {
                auto print = [&](std::size_t scene, const EventMatch& m) {
                    for (const std::string& line : run.trace(scene).lines(m))
                        std::printf("  %s\n", line.c_str());
                };
                std::printf(
                    "P1: step 1, the timers fire in deadline order, ties in the order "
                    "they were armed:\n");
                print(0, match::kind(EventKind::timer_fire));

                // Step 2's claims. (a) The loop waits once per deadline, and the wait ends
                // exactly at it: each timer.fire is the first event after a jump of the clock,
                // to its deadline (b), zero late (a). (b) nap resumes from each Sleep only
                // after that Sleep's timer fired.
                const auto events = run.trace(1).events();
                std::printf(
                    "P2: step 2, the waits of the loop (the clock jumps between two "
                    "events):\n");
                int waits = 0;
                for (std::size_t i = 1; i < events.size(); ++i) {
                    const auto from = events[i - 1].raw.t_ns, to = events[i].raw.t_ns;
                    if (to == from) continue;
                    ++waits;
                    std::printf("  wait %d: t=%lldms -> t=%lldms, then #%llu %s\n", waits,
                                static_cast<long long>(from / 1000000),
                                static_cast<long long>(to / 1000000),
                                static_cast<unsigned long long>(events[i].raw.seq),
                                events[i].is(EventKind::timer_fire) ? "timer.fire" : "?");
                    if (!events[i].is(EventKind::timer_fire) || events[i].raw.a != 0 ||
                        static_cast<std::uint64_t>(events[i].raw.b) != to)
                        claim_failed(5, "each wait ends exactly at a deadline, with a timer.fire");
                }
                for (const Event& fire : run.trace(1).find(match::kind(EventKind::timer_fire))) {
                    bool resumed_before = false, fired = false;
                    for (const Event& e : events) {
                        if (e.raw.seq == fire.raw.seq) fired = true;
                        if (e.is(EventKind::coro_resume) && e.raw.op == fire.raw.op && !fired)
                            resumed_before = true;
                    }
                    if (resumed_before) claim_failed(5, "nap resumes from a Sleep after its timer");
                }
                if (waits != 2) claim_failed(5, "step 2 waits twice");

                // Step 4: the busy version never waits; count what it costs.
                const SceneTrace& busy = run.trace(3);
                const auto sleep_resumes = run.trace(1).count(match::kind(EventKind::coro_resume));
                const auto busy_resumes = busy.count(match::kind(EventKind::coro_resume));
                std::printf(
                    "P3: step 4, busy_wait looked at the clock %zu times (one Yield "
                    "each); timers fired: %zu\n",
                    busy.count(match::op_process("", "Yield")),
                    busy.count(match::kind(EventKind::timer_fire)));
                std::printf(
                    "P4: the same 80ms: %zu resumes with Sleep, %zu busy; %zu resumes "
                    "wasted\n",
                    sleep_resumes, busy_resumes, busy_resumes - sleep_resumes);
            },
    };
    return run(chapter, argc, argv);
}
