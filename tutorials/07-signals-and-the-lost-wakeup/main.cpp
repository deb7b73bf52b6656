// Chapter 07: Signals and the lost wakeup
// Builds on: 06.  New here: Signal, WaitForSignal, the lost wakeup, Signal's recipients.
// Run: build/tutorials/07-signals-and-the-lost-wakeup/tutorial-07   (output: expected.txt)
//
// A signal wakes the coroutines that are waiting for it *now*. It is not remembered: sent
// one step too early, it wakes nobody, and the coroutine that meant to hear it waits
// forever. Nothing crashes, nothing is reported; the program just stops making progress.
// This chapter makes that bug happen, lets you cause and prevent it by choosing the order
// yourself (--pick), and shows the two usual fixes.
#include <cstdio>
#include <memory>
#include <string>

#include "cogen/cogen.hpp"
#include "tutorial/chapter.hpp"

using cogen::Coro;
using cogen::Value;
using cogen::tutorial::Stage;

// [step 1] a signal wakes everyone waiting at that moment
//
// WaitForSignal{"name"} parks its coroutine in the signal's waiter list. Signal{"name", v}
// moves every waiter of that moment to the active queue, each receiving v, and co_await
// yields how many it woke.
Coro<> guest(const char* name) {
    const Value dish = co_await cogen::WaitForSignal{"dinner"};
    std::printf("  %s eats %s\n", name, dish.as_string().c_str());
}

// The cook says what it is about to do *before* the co_await: what a coroutine prints after
// a co_await may come out after other coroutines' lines, since they can run in between.
Coro<> cook(const char* dish) {
    std::printf("  cook: %s is ready, Signal{\"dinner\"}\n", dish);
    const std::size_t woken = co_await cogen::Signal{"dinner", Value{dish}};
    std::printf("  cook: the signal woke %zu\n", woken);
}

void everyone_waiting(Stage& stage) {
    // Added first, the guests start first: both are waiting when the cook runs.
    stage.sched.add(guest("ann"), {.name = "ann"});
    stage.sched.add(guest("bob"), {.name = "bob"});
    stage.sched.add(cook("soup"), {.name = "cook"});
}

// [step 2] the lost wakeup: one more thing to do before waiting
//
// This guest lays the table first: one co_await Yield{} (any op that lets the others run
// would do: a Sleep, a Send, a Call). The cook runs in that gap, signals a list that is
// still empty, and goes home. The guest then waits for a signal that was already sent.
Coro<> busy_guest(const char* name) {
    std::printf("  %s lays the table\n", name);
    co_await cogen::Yield{};
    std::printf("  %s waits for dinner\n", name);
    const Value dish = co_await cogen::WaitForSignal{"dinner"};
    std::printf("  %s eats %s\n", name, dish.as_string().c_str());
}

void lost_wakeup(Stage& stage) {
    stage.sched.add(busy_guest("ann"), {.name = "ann"});
    stage.sched.add(cook("soup"), {.name = "cook"});
}

// run() returns when nothing can make progress: ann is not finished, only stuck.
void who_is_left(Stage& stage) {
    std::printf("  run() returned with %zu coroutine(s) alive\n", stage.sched.alive());
}

// [step 3] fix 1: remember that it happened
//
// The signal carries the news, a variable keeps it. The cook sets the flag *before* it
// signals; the guest looks at the flag *before* it waits. Between that look and the wait
// there is no co_await, so no other coroutine can run in between: the check and the wait
// are one step, and the wakeup cannot fall into a gap.
struct Kitchen {
    bool served = false;
    std::string dish;
};

// A scene may be played more than once in one run of the program (--pick plays it twice),
// so its state is made afresh by each setup and shared with the coroutines that use it.
Coro<> careful_guest(std::shared_ptr<Kitchen> k, const char* name) {
    std::printf("  %s lays the table\n", name);
    co_await cogen::Yield{};
    if (!k->served) co_await cogen::WaitForSignal{"dinner"};
    std::printf("  %s eats %s\n", name, k->dish.c_str());
}

Coro<> careful_cook(std::shared_ptr<Kitchen> k) {
    k->dish = "soup";
    k->served = true;
    std::printf("  cook: served = true, Signal{\"dinner\"}\n");
    const std::size_t woken = co_await cogen::Signal{"dinner", Value{k->dish}};
    std::printf("  cook: the signal woke %zu\n", woken);
}

// [step 4] fix 2: do not signal before someone listens
//
// Signal's third argument, recipients = n, makes the signaler itself wait until n
// coroutines wait on the name, then fire. Right when one guest is expected, and wrong
// when nobody is sure to come: then it is the cook who waits forever.
Coro<> patient_cook(const char* dish) {
    std::printf("  cook: %s is ready, Signal{\"dinner\", recipients = 1}\n", dish);
    const std::size_t woken = co_await cogen::Signal{"dinner", Value{dish}, 1};
    std::printf("  cook: the signal woke %zu\n", woken);
}

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    Chapter chapter{
        .number = 7,
        .title = "Signals and the lost wakeup",
        .scenes =
            {
                {.title = "step 1: everyone is waiting", .setup = everyone_waiting},
                {.title = "step 2: the lost wakeup", .setup = lost_wakeup, .after = who_is_left},
                {.title = "step 3: fix 1, a flag checked before waiting",
                 .setup =
                     [](Stage& s) {
                         auto kitchen = std::make_shared<Kitchen>();
                         s.sched.add(careful_guest(kitchen, "ann"), {.name = "ann"});
                         s.sched.add(careful_cook(kitchen), {.name = "cook"});
                     },
                 .after = who_is_left},
                {.title = "step 4: fix 2, Signal with recipients = 1",
                 .setup =
                     [](Stage& s) {
                         s.sched.add(busy_guest("ann"), {.name = "ann"});
                         s.sched.add(patient_cook("soup"), {.name = "cook"});
                     },
                 .after = who_is_left},
            },
        // [step 5] the key moment, and the answers
        //
        // The moment: the cook's Signal finds no waiter. --watch opens the visualizer right
        // after it (ann's token is in the active queue, not in the signal's list), --png
        // draws it.
        .moment = {.name = "the signal nobody hears",
                   .scene = 1,
                   .when = match::signal_lost("dinner")},
        .view = "diagram",
        .check =
            [](const Run& run) {
                // The trace lines of the scene's signal.emit events: who signalled, how many
                // it woke (a), and whether the signaler parked (b).
                auto woke = [&](std::size_t scene) {
                    const auto signals = match::kind(cogen::EventKind::signal_emit);
                    for (const std::string& line : run.trace(scene).lines(signals))
                        std::printf("  %s\n", line.c_str());
                };
                std::printf("P1: step 1, the Signal wakes both guests:\n");
                woke(0);
                std::printf("P2: step 2, the Signal wakes nobody; ann then parks for good:\n");
                woke(1);
                for (const std::string& l :
                     run.trace(1).lines(match::op_process("ann", "WaitForSignal")))
                    std::printf("  %s\n", l.c_str());
                std::printf("P3: step 3, the Signal wakes nobody again, and ann never waits:\n");
                woke(2);
                std::printf("  WaitForSignal processed for ann: %zu time(s)\n",
                            run.trace(2).count(match::op_process("ann", "WaitForSignal")));
                std::printf("P4: step 4, the cook parks first, and fires when ann waits:\n");
                woke(3);
            },
        .pick_scene = 1,
        .pick_runs = 2,
    };
    return run(chapter, argc, argv);
}
