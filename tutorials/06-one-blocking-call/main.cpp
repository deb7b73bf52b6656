// Chapter 06: One blocking call freezes everything
// Builds on: 05.  New here: the hog, lateness, Yield that does not switch, Sleep{0ms}, chunking.
// Run: build/tutorials/06-one-blocking-call/tutorial-06   (output: expected.txt)
//
// The scheduler runs one coroutine at a time, and it only gets control back at a co_await.
// A coroutine that computes for 300ms without awaiting anything holds the whole program for
// those 300ms: timers cannot fire, other coroutines cannot run. This chapter breaks a
// heartbeat that way, tries a fix that does not work, and then fixes it twice.
//
// Time is virtual here (chapter 05): the scenes run on a ManualClock. A hog "takes" time by
// advancing that clock, exactly what a real computation or a blocking call does to a real
// clock, so the lateness below is the same on every machine.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "cogen/cogen.hpp"
#include "tutorial/chapter.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::tutorial::Stage;

// [step 1] a heartbeat: five beats, 100ms apart
//
// The heartbeat sleeps 100ms, beats, and measures how late it woke: the time it runs minus
// the time it asked for. Alone, it is never late.
struct Beats {
    int late = 0;         // beats that came after their due time
    long long worst = 0;  // the largest lateness, in ms
};

Coro<> heartbeat(Stage& stage, std::shared_ptr<Beats> beats) {
    for (int i = 1; i <= 5; ++i) {
        const long long due = stage.now_ms() + 100;
        co_await cogen::Sleep{100ms};
        const long long late = stage.now_ms() - due;
        if (late > 0) ++beats->late;
        beats->worst = std::max(beats->worst, late);
        std::printf("  t=%3lldms beat %d (due %3lldms, late %lldms)\n", stage.now_ms(), i, due,
                    late);
    }
}

// [step 2] a hog: 300ms of work without a co_await
//
// The hog waits until 150ms, then works in chunks of `chunk` ms. One chunk is a computation
// (or a blocking read, a big sort...); here it advances the virtual clock by its length.
// Between chunks it does what `pause` says: nothing (this step), a Yield (step 3), or a
// Sleep{0ms} (steps 4 and 5).
enum class Pause { none, yield, sleep0 };

Coro<> hog(Stage& stage, std::chrono::milliseconds chunk, int chunks, Pause pause) {
    co_await cogen::Sleep{150ms};
    std::printf("  t=%3lldms hog: %d chunks of %lldms\n", stage.now_ms(), chunks,
                static_cast<long long>(chunk.count()));
    for (int i = 0; i < chunks; ++i) {
        stage.clock.advance(chunk);  // the work: time passes, nobody else runs
        if (pause == Pause::yield) co_await cogen::Yield{};
        if (pause == Pause::sleep0) co_await cogen::Sleep{0ms};
    }
    std::printf("  t=%3lldms hog: done\n", stage.now_ms());
}

// [step 3] Yield inside the hog: it does not help
//
// Yield goes to the back of the active queue *when anything else is runnable*, and
// otherwise continues at once (chapter 03). The heartbeat is not runnable: it is on the
// timer heap, and only the timers phase (phase 5 of the loop) can move it to the queue. A
// Yield that continues at once never reaches that phase.

// [step 4] fix 1: Sleep{0ms} between chunks
//
// A Sleep of 0 parks the hog on the timer heap with a deadline that has already passed. The
// loop has nothing runnable, so it goes on to the poll and timers phases; the timers phase
// moves every expired timer to the queue, the heartbeat's too, earliest deadline first.
// No beat can be later than one chunk: that is the claim this scene checks.

// [step 5] fix 2: smaller chunks
//
// The worst lateness is the longest stretch without a pause. Cut the work finer and the
// heartbeat gets closer to its time; the price is more trips through the loop.

// A scene: the heartbeat and one hog. `bound` is the chapter's claim about the worst lateness
// (0: no claim); a scene that breaks it stops the program with a failure.
cogen::tutorial::Scene scene(const char* title, std::chrono::milliseconds chunk, int chunks,
                             Pause pause, long long bound) {
    auto beats = std::make_shared<std::shared_ptr<Beats>>();
    return {
        .title = title,
        .setup =
            [=](Stage& s) {
                *beats = std::make_shared<Beats>();
                s.sched.add(heartbeat(s, *beats), {.name = "heart"});
                if (chunks > 0) s.sched.add(hog(s, chunk, chunks, pause), {.name = "hog"});
            },
        .after =
            [=](Stage&) {
                const Beats& b = **beats;
                std::printf("  late beats: %d, worst lateness: %lldms\n", b.late, b.worst);
                if (bound > 0 && b.worst > bound) {
                    std::printf("  CLAIM BROKEN: a beat came more than %lldms late\n", bound);
                    std::exit(1);
                }
            },
    };
}

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    Chapter chapter{
        .number = 6,
        .title = "One blocking call freezes everything",
        .scenes =
            {
                scene("step 1: the heartbeat alone", 0ms, 0, Pause::none, 0),
                scene("step 2: a hog that never awaits", 50ms, 6, Pause::none, 0),
                scene("step 3: Yield between chunks", 50ms, 6, Pause::yield, 0),
                scene("step 4: fix 1, Sleep{0ms} between chunks", 50ms, 6, Pause::sleep0, 50),
                scene("step 5: fix 2, chunks of 10ms", 10ms, 30, Pause::sleep0, 10),
            },
        // [step 6] the key moment, and the answers
        //
        // The moment: the heartbeat's timer fires late (timer.fire's lateness is above 0).
        // --watch opens the visualizer right after it, on the timeline.
        .moment = {.name = "the first late heartbeat",
                   .scene = 1,
                   .when =
                       [](const Event& e) {
                           return e.is(cogen::EventKind::timer_fire) && e.coro == "heart" &&
                                  e.raw.a > 0;
                       }},
        .view = "timeline",
        .check =
            [](const Run& run) {
                // From the trace: each heartbeat resume after its first, minus its timer's
                // deadline (timer.fire's b), is how late the beat ran.
                auto lateness = [&](std::size_t n) {
                    long long deadline = -1, worst = 0;
                    int late = 0;
                    for (const Event& e : run.trace(n).events()) {
                        if (e.coro != "heart") continue;
                        if (e.is(cogen::EventKind::timer_fire)) deadline = e.raw.b;
                        if (e.is(cogen::EventKind::coro_resume) && deadline >= 0) {
                            const long long ms =
                                (static_cast<long long>(e.raw.t_ns) - deadline) / 1'000'000;
                            late += ms > 0;
                            worst = std::max(worst, ms);
                            deadline = -1;
                        }
                    }
                    std::printf("  late beats: %d, worst lateness: %lldms\n", late, worst);
                };
                auto resumes = [&](std::size_t n, const char* who) {
                    return run.trace(n).count(match::kind(cogen::EventKind::coro_resume, who));
                };
                std::printf("P1: step 2, the heartbeat under a hog that never awaits:\n");
                lateness(1);
                std::printf("P2: step 3, Yield between chunks changes nothing:\n");
                lateness(2);
                // Outcome::ready: the Yield completed inside process(), the hog went on.
                std::printf(
                    "  the hog's Yields: %zu, completed at once: %zu; the first:\n",
                    run.trace(2).count(match::op_process("hog", "Yield")),
                    run.trace(2).count(match::op_process("hog", "Yield", cogen::Outcome::ready)));
                std::printf("  %s\n",
                            run.trace(2).lines(match::op_process("hog", "Yield")).at(0).c_str());
                std::printf("P3: step 4, Sleep{0ms} between 50ms chunks:\n");
                lateness(3);
                std::printf("P4: step 5, Sleep{0ms} between 10ms chunks:\n");
                lateness(4);
                std::printf("  the hog resumed %zu time(s) in step 4, %zu in step 5\n",
                            resumes(3, "hog"), resumes(4, "hog"));
            },
    };
    return run(chapter, argc, argv);
}
