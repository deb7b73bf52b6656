// The stepping worker of the in-process visualizer, on a real scheduler: one transition per
// step, stepping to a coroutine's next event, breakpoints, idle, and "be the scheduler".
#include "step_worker.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "cogen/viz/capture.hpp"

using namespace std::chrono_literals;
using namespace cogen::viz;

namespace {

cogen::Coro<> yielder(int times) {
    for (int i = 0; i < times; ++i) co_await cogen::Yield{};
}

cogen::Coro<> yield_then_sleep() {
    co_await cogen::Yield{};
    co_await cogen::Yield{};
    co_await cogen::Sleep{1ms};
}

cogen::Coro<> note(std::vector<std::string>& order, std::string name) {
    order.push_back(name);
    co_return;
}

cogen::Coro<> long_sleep() {
    co_await cogen::Sleep{30s};
}

// Everything a test needs: a scheduler recording into a Capture, driven by a worker.
struct Rig {
    Capture capture;
    cogen::Scheduler sched{{.instrument = &capture}};
    SchedulerAdapter driver{sched};
    Session session;
};

}  // namespace

TEST_CASE("step makes exactly one transition", "[step-worker]") {
    Rig rig;
    rig.sched.add(yielder(3), {.name = "a"});
    StepWorker worker(rig.driver, &rig.capture);
    REQUIRE(worker.wait_paused(5));
    CHECK(worker.status().steps == 0);
    worker.step_once();
    REQUIRE(worker.wait_paused(5));
    CHECK(worker.status().steps == 1);
    worker.step_once();
    REQUIRE(worker.wait_paused(5));
    CHECK(worker.status().steps == 2);
    CHECK(worker.drain(rig.session) > 0);
}

TEST_CASE("stepping to a coroutine's next event stops on that coroutine", "[step-worker]") {
    Rig rig;
    rig.sched.add(yielder(5), {.name = "a"});
    rig.sched.add(yielder(5), {.name = "b"});
    rig.sched.add(yielder(5), {.name = "c"});
    StepWorker worker(rig.driver, &rig.capture);
    worker.step_until_coro(3);
    REQUIRE(worker.wait_paused(5));
    const WorkerStatus st = worker.status();
    CHECK(st.paused_because.find("coro 3") == 0);
    CHECK_FALSE(st.idle);
    worker.drain(rig.session);
    bool seen = false;
    for (const cogen::TraceEvent& e : rig.session.model().events()) {
        if (e.coro == 3 && e.kind != cogen::EventKind::coro_spawn) seen = true;
    }
    CHECK(seen);
}

TEST_CASE("a breakpoint on an op type pauses when a coroutine awaits one", "[step-worker]") {
    Rig rig;
    rig.sched.add(yield_then_sleep(), {.name = "sleepy"});
    StepWorker worker(rig.driver, &rig.capture, false, 0);
    worker.set_breakpoints("Sleep", 0);
    worker.run();
    REQUIRE(worker.wait_paused(5));
    const WorkerStatus st = worker.status();
    CHECK(st.paused_because == "breakpoint: coro 1 co_awaited a Sleep");
    worker.drain(rig.session);
    rig.session.refresh();
    const cogen::viz::CoroutineState* c = rig.session.state().find(1);
    REQUIRE(c);
    CHECK(c->place.kind == PlaceKind::timer);
}

TEST_CASE("a breakpoint on a coroutine pauses when it resumes", "[step-worker]") {
    Rig rig;
    rig.sched.add(yielder(2), {.name = "a"});
    rig.sched.add(yielder(2), {.name = "b"});
    StepWorker worker(rig.driver, &rig.capture, false, 0);
    worker.set_breakpoints("", 2);
    worker.run();
    REQUIRE(worker.wait_paused(5));
    CHECK(worker.status().paused_because == "breakpoint: coro 2 resumed");
}

TEST_CASE("running to the end leaves the worker idle and the trace closed", "[step-worker]") {
    Rig rig;
    rig.sched.add(yielder(3), {.name = "a"});
    StepWorker worker(rig.driver, &rig.capture, true, 0);
    REQUIRE(worker.wait_paused(5));
    const WorkerStatus st = worker.status();
    CHECK(st.idle);
    CHECK(st.paused_because.find("idle") == 0);
    worker.drain(rig.session);
    const auto events = rig.session.model().events();
    REQUIRE_FALSE(events.empty());
    CHECK(events.front().kind == cogen::EventKind::coro_spawn);
    CHECK(events.back().kind == cogen::EventKind::sched_run_end);
}

TEST_CASE("be the scheduler: picking the third ready pair runs that coroutine first",
          "[step-worker][be-the-scheduler]") {
    std::vector<std::string> order;
    Rig rig;
    rig.sched.add(note(order, "A"), {.name = "A"});
    rig.sched.add(note(order, "B"), {.name = "B"});
    rig.sched.add(note(order, "C"), {.name = "C"});
    StepWorker worker(rig.driver, &rig.capture, false, 0);
    REQUIRE(worker.wait_paused(5));
    WorkerStatus st = worker.status();
    REQUIRE(st.at_pick);
    REQUIRE(st.ready.size() == 3);
    CHECK(st.ready[0].coro_name == "A");
    CHECK(st.ready[2].coro_name == "C");
    worker.pick(2);
    REQUIRE(worker.wait_paused(5));
    st = worker.status();
    REQUIRE(st.picks.size() == 1);
    CHECK(st.picks.back().index == 2);
    CHECK(st.picks.back().chosen.coro_name == "C");
    CHECK(st.picks.back().cogen_first.coro_name == "A");
    worker.run();
    REQUIRE(worker.wait_paused(5));
    CHECK(order == std::vector<std::string>{"C", "A", "B"});
}

TEST_CASE("without picks the coroutines run in cogen's order", "[step-worker][be-the-scheduler]") {
    std::vector<std::string> order;
    Rig rig;
    rig.sched.add(note(order, "A"), {.name = "A"});
    rig.sched.add(note(order, "B"), {.name = "B"});
    rig.sched.add(note(order, "C"), {.name = "C"});
    StepWorker worker(rig.driver, &rig.capture, true, 0);
    REQUIRE(worker.wait_paused(5));
    CHECK(order == std::vector<std::string>{"A", "B", "C"});
}

TEST_CASE("closing the worker interrupts a step blocked in a long sleep", "[step-worker]") {
    Rig rig;
    rig.sched.add(long_sleep(), {.name = "sleeper"});
    const auto start = std::chrono::steady_clock::now();
    {
        StepWorker worker(rig.driver, &rig.capture, true, 0);
        for (int i = 0; i < 200 && !worker.status().busy; ++i) std::this_thread::sleep_for(5ms);
        std::this_thread::sleep_for(50ms);
    }
    CHECK(std::chrono::steady_clock::now() - start < 5s);
}
