// Chapter 04: Sleep and the timer heap
// Builds on: 03.  New here: Sleep, ManualClock, Scheduler::step(), next_timer_delta(), timer heap.
// Run: build/tutorials/04-sleep-and-the-timer-heap/tutorial-04   (output: expected.txt)
//
// Sleep is the first operation that waits for time. Its process() puts the
// operation on the scheduler's timer heap and parks; the scheduler's timers
// phase takes it off when its deadline has passed and queues the coroutine.
// In between, the scheduler must do nothing at all, and do it without
// burning a CPU. This chapter watches that happen.
#include <chrono>
#include <cstdio>
#include <queue>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"

using namespace std::chrono_literals;
using cogen::Coro;

// Times in this chapter are printed in whole milliseconds of scheduler time.
long long ms(std::chrono::nanoseconds t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
}

// [step 1] sleepers wake in deadline order, whatever order they started in
//
// A ManualClock only moves when the scheduler has nothing to run and would
// otherwise sleep: it then jumps straight to the earliest deadline. The
// program runs instantly, and every timestamp it prints is exact, so the
// output is the same on every machine. (Tests use it for the same reason.)
void wake_in_deadline_order() {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};

    auto sleeper = [&](const char* name, std::chrono::milliseconds d) -> Coro<> {
        std::printf("  t=%3lldms %-6s sleeps %lldms\n", ms(clock.now()), name,
                    static_cast<long long>(d.count()));
        co_await cogen::Sleep{d};
        std::printf("  t=%3lldms %-6s wakes\n", ms(clock.now()), name);
    };
    sched.add(sleeper("tea", 300ms));
    sched.add(sleeper("eggs", 100ms));
    sched.add(sleeper("toast", 200ms));
    sched.add(sleeper("coffee", 100ms));
    sched.run();
    std::printf("run() returned at t=%lldms\n", ms(clock.now()));
}

// [step 2] walk the loop one transition at a time
//
// run() is `while (step()) {}`. step() performs exactly one transition of the
// loop: resume a coroutine, process the op it awaits, poll (or, with only
// timers pending, wait until the next deadline), or expire deadlines. After
// each step we print the clock, the length of the active queue, and
// next_timer_delta(): how long the loop may wait before a deadline is due
// ("none" when no timer is pending, 0 when something must run now).
void walk_the_loop() {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};

    auto nap = [&]() -> Coro<> {
        std::printf("  nap: sleeping 50ms\n");
        co_await cogen::Sleep{50ms};
        std::printf("  nap: sleeping 30ms\n");
        co_await cogen::Sleep{30ms};
        std::printf("  nap: done\n");
    };
    sched.add(nap(), {.name = "nap"});

    // An observer reads what the loop holds (queue length, next deadline);
    // programs never need one, tools and this chapter do.
    const cogen::SchedulerObserver observe{sched};
    int n = 0;
    while (sched.step()) {
        const auto delta = observe.next_timer_delta();
        std::printf("step %d: t=%lldms active=%zu next_timer_delta=%s\n", ++n, ms(sched.now()),
                    observe.active_size(),
                    delta ? (std::to_string(ms(*delta)) + "ms").c_str() : "none");
    }
    std::printf("step() returned false: nothing left to do\n");
}

// [step 3] the timer heap, in miniature
//
// The scheduler keeps every armed deadline in a binary min-heap ordered by
// (deadline, arming order). The earliest deadline is always on top, so
// next_timer_delta() is top - now, in O(1), and arming or expiring one timer
// costs O(log n) however many are armed. This model uses
// std::priority_queue; cogen's heap (libcogen/src/detail/timer_heap.hpp) is
// the same plus one thing: every operation knows its index in the heap, so
// an operation that completes before its deadline (a WaitForSignal that gets
// its signal, chapter 05) is removed directly, in O(log n), by identity.
struct Timer {
    long long deadline_ms;
    unsigned order;  // arming order: equal deadlines fire first-armed first
    std::string name;
    bool operator>(const Timer& other) const {
        return deadline_ms != other.deadline_ms ? deadline_ms > other.deadline_ms
                                                : order > other.order;
    }
};

void model_the_heap() {
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> heap;
    unsigned armed = 0;
    for (auto [d, name] : {std::pair{300, "tea"}, {100, "eggs"}, {200, "toast"}, {100, "coffee"}})
        heap.push(Timer{d, armed++, name});
    std::printf("heap top: %s at %lldms, %zu timers armed\n", heap.top().name.c_str(),
                heap.top().deadline_ms, heap.size());
    while (!heap.empty()) {
        std::printf("  pop %s (%lldms)\n", heap.top().name.c_str(), heap.top().deadline_ms);
        heap.pop();
    }
}

// [step 4] with only timers pending, the loop blocks instead of spinning
//
// Same program twice: three naps of 20ms, once on a ManualClock and once on
// the real clock (cogen::SteadyClock, the default). On the real clock, the
// poll step blocks in the proactor (epoll_wait, poll or select) with the
// time left until the next deadline as its timeout. So waiting 20ms costs one
// step, not a million: both runs take the same number of steps. We print
// comparisons, not durations, to keep the output identical on every run.
int count_steps(cogen::Scheduler& sched) {
    auto naps = []() -> Coro<> {
        for (int i = 0; i < 3; ++i) co_await cogen::Sleep{20ms};
    };
    sched.add(naps());
    int steps = 0;
    while (sched.step()) ++steps;
    return steps;
}

void no_busy_loop() {
    cogen::ManualClock clock;
    cogen::Scheduler manual{{.clock = &clock}};
    const int manual_steps = count_steps(manual);

    cogen::Scheduler real;
    const auto start = std::chrono::steady_clock::now();
    const int real_steps = count_steps(real);
    const auto elapsed = std::chrono::steady_clock::now() - start;

    std::printf("manual clock: %d steps, ended at t=%lldms\n", manual_steps, ms(clock.now()));
    std::printf("real clock: same number of steps: %s\n",
                real_steps == manual_steps ? "yes" : "no");
    std::printf("real clock: at least 60ms really passed: %s\n", elapsed >= 60ms ? "yes" : "no");
}

int main() {
    std::printf("--- step 1: wake order ---\n");
    wake_in_deadline_order();
    std::printf("--- step 2: one transition at a time ---\n");
    walk_the_loop();
    std::printf("--- step 3: a timer heap ---\n");
    model_the_heap();
    std::printf("--- step 4: no busy loop ---\n");
    no_busy_loop();
}
