// Chapter 08: Queues and backpressure
// Builds on: 07.  New here: Queue (put/get, maxsize, put_nowait, task_done/join), backpressure.
// Run: build/tutorials/08-queues-and-backpressure/tutorial-08   (output: expected.txt)
//
// A Signal (chapter 07) reaches whoever listens at that moment and is gone. A Queue keeps
// items until someone takes them. That raises a new question: what if the producer is
// faster than the consumer? Unbounded, the queue grows without limit. Bounded, the producer
// parks when it is full: the consumer's pace pushes back on the producer. That push is
// called backpressure, and it is the idea of this chapter.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "cogen/cogen.hpp"
#include "tutorial/chapter.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::tutorial::Stage;

// [step 1] an unbounded belt: the baker runs ahead
//
// Queue<T>{maxsize, name}: maxsize 0 is unbounded. put() adds an item at the back, get()
// takes the front one and parks while the queue is empty. The baker makes five cakes
// instantly; the packer needs 100ms per cake.
using Belt = cogen::Queue<std::string>;

Coro<> baker(Stage& stage, std::shared_ptr<Belt> belt) {
    for (int i = 1; i <= 5; ++i) {
        const std::string cake = "cake-" + std::to_string(i);
        co_await belt->put(cake);
        std::printf("  t=%3lldms baker  put %s (on the belt: %zu)\n", stage.now_ms(), cake.c_str(),
                    belt->qsize());
    }
    std::printf("  t=%3lldms baker  done\n", stage.now_ms());
}

Coro<> packer(Stage& stage, std::shared_ptr<Belt> belt) {
    for (int i = 1; i <= 5; ++i) {
        const std::string cake = co_await belt->get();
        std::printf("  t=%3lldms packer got %s (on the belt: %zu)\n", stage.now_ms(), cake.c_str(),
                    belt->qsize());
        co_await cogen::Sleep{100ms};  // packing takes time
    }
}

void bakery(Stage& stage, std::size_t maxsize) {
    auto belt = std::make_shared<Belt>(maxsize, "belt");
    stage.sched.add(baker(stage, belt), {.name = "baker"});
    stage.sched.add(packer(stage, belt), {.name = "packer"});
}

// [step 2] a belt that holds two: the baker parks
//
// With maxsize 2, a put() on a full belt parks the baker in the belt's list of putters. A
// get() that frees a slot moves the first waiting putter's item onto the belt itself and
// queues that putter: when the baker resumes, its put is already done.

// [step 3] task_done() and join(): wait for the work, not for the queue
//
// Every put() counts one unfinished task; task_done() counts one down; join() parks until
// the count is zero. An empty queue is not finished work: the last items may still be in a
// worker's hands.
Coro<> worker(Stage& stage, std::shared_ptr<cogen::Queue<int>> jobs, const char* name) {
    for (;;) {
        const int job = co_await jobs->get();
        co_await cogen::Sleep{std::chrono::milliseconds(job)};  // "doing" the job
        std::printf("  t=%3lldms %s finished a %dms job (jobs queued: %zu)\n", stage.now_ms(), name,
                    job, jobs->qsize());
        co_await jobs->task_done();  // the last one wakes the boss's join()
    }
}

Coro<> boss(Stage& stage, std::shared_ptr<cogen::Queue<int>> jobs) {
    cogen::CoroRef<> a = co_await cogen::AddCoro{worker(stage, jobs, "ann"), {.name = "ann"}};
    cogen::CoroRef<> b = co_await cogen::AddCoro{worker(stage, jobs, "bob"), {.name = "bob"}};
    for (int job : {300, 100, 100, 200}) co_await jobs->put(job);
    std::printf("  t=%3lldms boss: %zu jobs queued, join()\n", stage.now_ms(),
                jobs->unfinished_tasks());
    co_await jobs->join();
    std::printf("  t=%3lldms boss: join() returned; the workers wait on an empty queue\n",
                stage.now_ms());
    // The workers loop forever: end them (chapter 11 shows what cancel() cleans up).
    a.cancel();
    b.cancel();
}

// [step 4] or refuse: put_nowait() drops instead of waiting
//
// Parking is one answer to a full queue. The other is to refuse: put_nowait() never parks,
// and on a full queue throws cogen::Full at the co_await. A baker that drops what does not
// fit never slows down, and loses cakes instead.
Coro<> hasty_baker(Stage& stage, std::shared_ptr<Belt> belt) {
    int dropped = 0;
    for (int i = 1; i <= 5; ++i) {
        try {
            co_await belt->put_nowait("cake-" + std::to_string(i));
        } catch (const cogen::Full&) {
            ++dropped;
        }
    }
    std::printf("  t=%3lldms baker  done, dropped %d cake(s), on the belt: %zu\n", stage.now_ms(),
                dropped, belt->qsize());
}

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    Chapter chapter{
        .number = 8,
        .title = "Queues and backpressure",
        .scenes =
            {
                {.title = "step 1: an unbounded belt", .setup = [](Stage& s) { bakery(s, 0); }},
                {.title = "step 2: a belt that holds two", .setup = [](Stage& s) { bakery(s, 2); }},
                {.title = "step 3: task_done and join",
                 .setup =
                     [](Stage& s) {
                         auto jobs = std::make_shared<cogen::Queue<int>>(0, "jobs");
                         s.sched.add(boss(s, jobs), {.name = "boss"});
                     },
                 .after =
                     [](Stage& s) { std::printf("  coroutines left: %zu\n", s.sched.alive()); }},
                {.title = "step 4: put_nowait drops",
                 .setup =
                     [](Stage& s) {
                         auto belt = std::make_shared<Belt>(2, "belt");
                         s.sched.add(hasty_baker(s, belt), {.name = "baker"});
                         s.sched.add(packer(s, belt), {.name = "packer"});
                     }},
            },
        // [step 5] the key moment, and the answers
        //
        // The moment: the baker's put() parks on the full belt. --watch opens the visualizer
        // right after it; the diagram shows the baker's token beside the belt.
        .moment = {.name = "the first producer parked on a full queue",
                   .scene = 1,
                   .when = match::op_process("baker", "QPut", cogen::Outcome::queue)},
        .view = "diagram",
        .check =
            [](const Run& run) {
                const auto parked = match::op_process("baker", "QPut", cogen::Outcome::queue);
                std::printf("P1: step 1, the baker never parks:\n");
                std::printf("  baker's puts that parked: %zu\n", run.trace(0).count(parked));
                std::printf(
                    "P2: step 2, the baker parks on the full belt, and only a get of "
                    "the packer releases it:\n");
                std::printf("  baker's puts that parked: %zu\n", run.trace(1).count(parked));
                // The claim, on the trace: each op.ready of the baker names its cause (b); it
                // must be the packer, whose get freed the slot.
                for (const Event& e : run.trace(1).events()) {
                    if (!e.is(cogen::EventKind::op_ready) || e.coro != "baker") continue;
                    const auto cause = run.trace(1).coro_name(static_cast<std::uint64_t>(e.raw.b));
                    std::printf("  t=%3lldms the baker's put is done, released by %.*s\n",
                                static_cast<long long>(e.raw.t_ns / 1'000'000),
                                static_cast<int>(cause.size()), cause.data());
                    if (cause != "packer") {
                        std::printf("  CLAIM BROKEN: a put was released by someone else\n");
                        std::exit(1);
                    }
                }
                std::printf("P3: step 3, the queue is empty long before join() returns:\n");
                // The last get that found a job waiting empties the queue.
                const auto taken =
                    run.trace(2).find(match::op_process("", "QGet", cogen::Outcome::ready));
                std::printf("  t=%3lldms the last job leaves the queue (%.*s's get)\n",
                            static_cast<long long>(taken.back().raw.t_ns / 1'000'000),
                            static_cast<int>(taken.back().coro.size()), taken.back().coro.data());
                for (const Event& e :
                     run.trace(2).find(match::kind(cogen::EventKind::op_ready, "boss")))
                    if (e.op_type == "QJoin")
                        std::printf("  t=%3lldms the boss's join() is done\n",
                                    static_cast<long long>(e.raw.t_ns / 1'000'000));
                std::printf("P4: step 4, put_nowait never parks:\n");
                std::printf("  QPut processed: %zu, parked: %zu\n",
                            run.trace(3).count(match::op_process("baker", "QPut")),
                            run.trace(3).count(parked));
            },
    };
    return run(chapter, argc, argv);
}
