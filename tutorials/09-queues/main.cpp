// Chapter 09: Queues
// Builds on: 08.  New here: Queue (put/get, nowait, task_done/join), PubSub, Iterate and chunk.
// Run: build/tutorials/09-queues/tutorial-09   (output: expected.txt)
//
// Signals (chapter 05) carry one value to whoever is listening *right now*.
// Most programs want more: items that wait in line until someone takes them,
// a producer that slows down when consumers fall behind, a bulletin board
// that late readers can catch up on, a generator-like stream between two
// coroutines. These are cogen's three channels: Queue, PubSub and the pipe.
// Each is a small set of operations like the ones you wrote in 03 and 08.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"

using namespace std::chrono_literals;
using cogen::Coro;

// Scheduler time in whole milliseconds, for the printouts.
long long ms(std::chrono::nanoseconds t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
}

// [step 1] a bounded queue makes a fast producer wait for a slow consumer
//
// Queue<T>{maxsize}: put() parks the putter while the queue is full, get()
// parks the getter while it is empty. The baker makes a cake instantly, the
// packer needs 100ms per cake, and the belt holds two.
void bounded_queue() {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    // maxsize 2; the name shows up in traces and in the visualizer.
    cogen::Queue<std::string> belt{2, "belt"};

    auto baker = [&]() -> Coro<> {
        for (int i = 1; i <= 4; ++i) {
            const std::string cake = "cake-" + std::to_string(i);
            // Completes at once while there is room; parks while the belt is
            // full, until a get() makes room and moves this cake onto it.
            co_await belt.put(cake);
            std::printf("  t=%3lldms baker  put %s (on the belt: %zu)\n", ms(clock.now()),
                        cake.c_str(), belt.qsize());
        }
        std::printf("  t=%3lldms baker  done\n", ms(clock.now()));
    };
    auto packer = [&]() -> Coro<> {
        for (int i = 1; i <= 4; ++i) {
            // The front item; parks while the belt is empty.
            const std::string cake = co_await belt.get();
            std::printf("  t=%3lldms packer got %s (on the belt: %zu)\n", ms(clock.now()),
                        cake.c_str(), belt.qsize());
            co_await cogen::Sleep{100ms};  // packing takes time
        }
    };
    sched.add(baker(), {.name = "baker"});
    sched.add(packer(), {.name = "packer"});
    sched.run();
}

// [step 2] nowait, and a get with a timeout
//
// get_nowait() and put_nowait() never wait: on an empty (full) queue they
// throw cogen::Empty (cogen::Full) at the co_await. A get() with a timeout
// waits, and gives up with OperationTimeout, not Empty.
void nowait_and_timeout() {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    cogen::Queue<int> box{1, "box"};  // room for one item

    auto impatient = [&]() -> Coro<> {
        // The nowait operations are still awaited: the error comes out of
        // the co_await, like every other error in cogen.
        try {
            co_await box.get_nowait();
        } catch (const cogen::Empty& e) {
            std::printf("  get_nowait() on an empty queue: %s\n", e.what());
        }
        co_await box.put_nowait(1);  // room for one: fine
        try {
            co_await box.put_nowait(2);
        } catch (const cogen::Full& e) {
            std::printf("  put_nowait(2) on a full queue: %s\n", e.what());
        }
        // Not empty: get_nowait() behaves exactly like get().
        std::printf("  get_nowait() = %d\n", co_await box.get_nowait());
        // Empty again: a blocking get() waits, here for 250ms at most.
        try {
            co_await box.get(250ms);
        } catch (const cogen::OperationTimeout& e) {
            std::printf("  t=%lldms get(250ms): %s\n", ms(clock.now()), e.what());
        }
    };
    sched.add(impatient());
    sched.run();
}

// [step 3] task_done() and join(): wait until every item is processed
//
// Every put() counts one unfinished task; task_done() counts one down.
// join() waits until the count is zero: not until the queue is empty (the
// last items may still be in a worker's hands), until the work is done.
void task_done_and_join() {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    cogen::Queue<int> jobs{0, "jobs"};  // maxsize 0: unbounded

    // A worker takes a job (a duration in ms), "does" it by sleeping that
    // long, and reports it done. It never returns by itself.
    auto worker = [&](const char* name) -> Coro<> {
        for (;;) {
            const int job = co_await jobs.get();
            co_await cogen::Sleep{std::chrono::milliseconds(job)};
            std::printf("  t=%3lldms %s finished a %dms job\n", ms(clock.now()), name, job);
            co_await jobs.task_done();  // the last one wakes the boss's join()
        }
    };
    // Starts the workers, hands out the jobs, waits for the work to be done.
    auto boss = [&]() -> Coro<> {
        cogen::CoroRef<> a = co_await cogen::AddCoro{worker("ann"), {.name = "ann"}};
        cogen::CoroRef<> b = co_await cogen::AddCoro{worker("bob"), {.name = "bob"}};
        // Four jobs, queued at once (unbounded queue: no put waits).
        for (int job : {300, 100, 100, 200}) co_await jobs.put(job);
        std::printf("  t=%3lldms boss: %zu jobs queued, waiting for all of them\n", ms(clock.now()),
                    jobs.unfinished_tasks());
        co_await jobs.join();  // parks until unfinished_tasks() is 0
        std::printf("  t=%3lldms boss: all done; the workers wait on an empty queue, cancel them\n",
                    ms(clock.now()));
        // Chapter 08: cancel() cleans up their pending get() and ends them.
        a.cancel();
        b.cancel();
    };
    sched.add(boss(), {.name = "boss"});
    sched.run();
    std::printf("  coroutines left: %zu\n", sched.alive());
}

// [step 4] publish/subscribe: everyone reads every message, at their own pace
//
// PubSub<T> keeps an append-only list of messages and, per subscriber, how
// far it has read. fetch() returns every message the caller has not seen
// yet (waiting if there is none). A new subscriber starts at the beginning,
// so it catches up on everything still stored. compact() drops what every
// subscriber has read.
void publish_subscribe() {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    cogen::PubSub<std::string> news{"news"};

    // Prints one fetch: a batch of messages, oldest first.
    auto show = [&](const char* who, const std::vector<std::string>& msgs) {
        std::string line;
        for (const auto& m : msgs) line += (line.empty() ? "" : ", ") + m;
        std::printf("  t=%lldms %s fetched [%s]\n", ms(clock.now()), who, line.c_str());
    };
    // Subscribes before anything is published and reads three times.
    auto early = [&]() -> Coro<> {
        co_await news.subscribe();
        for (int i = 0; i < 3; ++i) show("early", co_await news.fetch());
    };
    // Subscribes after two headlines, reads twice, then leaves.
    auto late = [&]() -> Coro<> {
        co_await cogen::Sleep{250ms};
        co_await news.subscribe();
        show("late ", co_await news.fetch());
        co_await cogen::Sleep{200ms};
        show("late ", co_await news.fetch());
        co_await news.unsubscribe();
    };
    // compact() is a plain call, not an operation: it never waits.
    auto compact = [&](const char* when) {
        const std::size_t dropped = news.compact();
        std::printf("  t=%lldms %s: compact() dropped %zu, %zu stored\n", ms(clock.now()), when,
                    dropped, news.size());
    };
    // One headline every 100ms, then two compactions.
    auto editor = [&]() -> Coro<> {
        for (const char* headline : {"rain", "sun", "snow"}) {
            co_await cogen::Sleep{100ms};
            co_await news.publish(headline);
        }
        co_await cogen::Sleep{50ms};
        compact("late has not read snow yet");
        co_await cogen::Sleep{150ms};
        compact("late read it and left");
    };
    sched.add(early(), {.name = "early"});
    sched.add(late(), {.name = "late"});
    sched.add(editor(), {.name = "editor"});
    sched.run();
}

// [step 5] a pipe: a producer hands values to one consumer, one at a time
//
// Iterate{producer()} starts the producer and yields an iterator; each
// `co_await it` runs the producer until its next `co_await chunk(v)` and
// yields v (std::nullopt once the producer returns). The two alternate
// strictly, like a generator of chapter 01, but both sides are scheduled
// coroutines: the producer may sleep or wait on anything in between.
// `co_await it.stop()` ends the stream early, throwing IterationStopped
// into the producer.
void pipe() {
    cogen::Scheduler sched;

    // The producer: an endless stream, one value per chunk(). Each chunk()
    // hands the value over and waits until the consumer asks for the next.
    auto fibonacci = []() -> Coro<> {
        try {
            long long a = 0, b = 1;
            for (;;) {
                co_await cogen::chunk(cogen::Value{static_cast<std::int64_t>(a)});
                a = std::exchange(b, a + b);
            }
        } catch (const cogen::IterationStopped&) {
            std::printf("  fibonacci: the consumer stopped me\n");
        }
    };
    auto consumer = [&]() -> Coro<> {
        // Iterate starts the producer; `it` is the consumer's end of the pipe.
        cogen::Iterator it = co_await cogen::Iterate{fibonacci()};
        std::string line;
        while (std::optional<cogen::Value> v = co_await it) {
            if (v->as_int() > 50) break;
            line += (line.empty() ? "" : " ") + v->to_string();
        }
        std::printf("  consumer took: %s\n", line.c_str());
        co_await it.stop();  // the producer is stopped, not just abandoned
        std::printf("  consumer: after stop(), co_await it yields %s\n",
                    (co_await it).has_value() ? "a value" : "nullopt");
    };
    // Only the consumer is added: Iterate starts the producer itself.
    sched.add(consumer());
    sched.run();
}

int main() {
    std::printf("--- step 1: a bounded queue ---\n");
    bounded_queue();
    std::printf("--- step 2: nowait and timeouts ---\n");
    nowait_and_timeout();
    std::printf("--- step 3: task_done and join ---\n");
    task_done_and_join();
    std::printf("--- step 4: publish/subscribe ---\n");
    publish_subscribe();
    std::printf("--- step 5: a pipe ---\n");
    pipe();
}
