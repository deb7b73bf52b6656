// The stepping worker of the in-process visualizer, on a real scheduler: one transition per
// step, stepping to a coroutine's next event, breakpoints, idle, and "be the scheduler".
#include "step_worker.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "cogen/viz/capture.hpp"
#include "cogen/viz/stall_detector.hpp"
#include "support/socket_pair.hpp"

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

// Reads 5 bytes with a 1 s timeout; the peer sends them after 300 ms of program time.
cogen::Coro<> timed_reader(cogen::net::Socket& sock, std::string& got, bool& timed_out) {
    try {
        got = co_await cogen::net::Read{sock, 5, cogen::Timeout{1s}};
    } catch (const cogen::OperationTimeout&) {
        timed_out = true;
    }
}

cogen::Coro<> late_writer(cogen::net::Socket& sock) {
    co_await cogen::Sleep{300ms};
    co_await cogen::net::SendAll{sock, "hello"};
}

// The findings of what `capture` recorded, as cogen-trace stalls would report them.
std::vector<std::string> findings_of(Capture& capture) {
    Session session;
    std::vector<std::pair<std::uint32_t, std::string>> strings;
    std::vector<cogen::TraceEvent> events;
    capture.drain(strings, events);
    for (const auto& [id, text] : strings) session.add_string(id, text);
    session.add_events(events);
    std::vector<std::string> out;
    for (const Finding& f : find_stalls_at_end(session.model())) {
        out.push_back(std::string(to_string(f.kind)) + " " + f.coro_name);
    }
    return out;
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

TEST_CASE("a breakpoint on an op name the model already knows matches its interned ids",
          "[step-worker]") {
    // Two sleepers: the first Sleep is interned (and drained into the model) before the
    // breakpoint is set, so the worker, which keeps no string table, needs the GUI's ids.
    Rig rig;
    rig.sched.add(yield_then_sleep(), {.name = "first"});
    rig.sched.add(yield_then_sleep(), {.name = "second"});
    StepWorker worker(rig.driver, &rig.capture, false, 0);
    std::vector<std::uint32_t> ids;
    for (int i = 0; i < 100 && ids.empty(); ++i) {
        worker.step_once();
        REQUIRE(worker.wait_paused(5));
        worker.drain(rig.session);
        const auto& strings = rig.session.model().strings();
        for (std::uint32_t id = 1; id < strings.size(); ++id)
            if (strings.get(id) == "Sleep") ids.push_back(id);
    }
    REQUIRE_FALSE(ids.empty());
    worker.set_breakpoints("Sleep", 0, ids);
    worker.run();
    REQUIRE(worker.wait_paused(5));
    CHECK(worker.status().paused_because.find("co_awaited a Sleep") != std::string::npos);
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

TEST_CASE("a paused window is not program time: a read with a 1 s timeout survives 3 s of pause",
          "[step-worker][clock]") {
    auto run_once = [](bool under_worker, std::string& got, bool& timed_out) {
        auto pair = cogen::test::tcp_pair();
        Capture capture;
        cogen::Scheduler sched{{.instrument = &capture}};
        sched.add(timed_reader(pair.server, got, timed_out), {.name = "reader"});
        sched.add(late_writer(pair.client), {.name = "writer"});
        if (!under_worker) {
            sched.run();
        } else {
            SchedulerAdapter driver{sched};
            StepWorker worker(driver, &capture, false, 0);
            // Both coroutines start and park (the read on its socket, the writer in Sleep).
            for (int i = 0; i < 8; ++i) {
                worker.step_once();
                REQUIRE(worker.wait_paused(5));
            }
            CHECK(got.empty());
            std::this_thread::sleep_for(3s);  // the window stays paused
            worker.run();
            REQUIRE(worker.wait_paused(10));
            CHECK(worker.status().idle);
        }
        return findings_of(capture);
    };
    std::string got_headless, got_gui;
    bool timeout_headless = false, timeout_gui = false;
    const auto headless = run_once(false, got_headless, timeout_headless);
    const auto gui = run_once(true, got_gui, timeout_gui);
    CHECK_FALSE(timeout_headless);
    CHECK_FALSE(timeout_gui);
    CHECK(got_gui == "hello");
    CHECK(gui == headless);
}

TEST_CASE("the adapter's clock runs only during steps and goes back to the scheduler after",
          "[step-worker][clock]") {
    cogen::Scheduler sched;
    const cogen::Clock* before = &cogen::SchedulerObserver{sched}.clock();
    {
        SchedulerAdapter driver{sched};
        CHECK(&cogen::SchedulerObserver{sched}.clock() != before);
        const auto t0 = sched.now();
        std::this_thread::sleep_for(20ms);
        CHECK(sched.now() == t0);  // held between steps
    }
    CHECK(&cogen::SchedulerObserver{sched}.clock() == before);
    cogen::ManualClock manual;
    cogen::Scheduler tutorial{{.clock = &manual}};
    SchedulerAdapter driver{tutorial};
    CHECK(&cogen::SchedulerObserver{tutorial}.clock() ==
          &manual);  // a manual clock already stops while nobody steps
}

TEST_CASE("be the scheduler: the status says what the pick actually did",
          "[step-worker][be-the-scheduler]") {
    Rig rig;
    rig.sched.add(yielder(1), {.name = "A"});
    rig.sched.add(yield_then_sleep(), {.name = "B"});
    StepWorker worker(rig.driver, &rig.capture, false, 0);
    REQUIRE(worker.wait_paused(5));
    // B has not started: its first resume only creates the frame and queues it again.
    worker.pick(1);
    REQUIRE(worker.wait_paused(5));
    WorkerStatus st = worker.status();
    CHECK(st.paused_because.find("your pick 'B' started") == 0);
    CHECK(st.picks.back().outcome.find("started") == 0);
    // Now B is behind A again: pick it once more, and its body runs up to its next wait.
    REQUIRE(st.at_pick);
    std::size_t b = st.ready.size();
    for (std::size_t i = 0; i < st.ready.size(); ++i) {
        if (st.ready[i].coro_name == "B") b = i;
    }
    REQUIRE(b < st.ready.size());
    worker.pick(b);
    REQUIRE(worker.wait_paused(5));
    st = worker.status();
    CHECK(st.paused_because == "your pick 'B' ran until it parked on Yield");
    worker.drain(rig.session);
    // Both picks were the very next transition: B had its start round, then its body ran
    // (one coro.resume); A, cogen's first choice both times, did not run at all.
    int resumes_a = 0, resumes_b = 0;
    for (const cogen::TraceEvent& e : rig.session.model().events()) {
        if (e.kind != cogen::EventKind::coro_resume) continue;
        resumes_a += e.coro == 1 ? 1 : 0;
        resumes_b += e.coro == 2 ? 1 : 0;
    }
    CHECK(resumes_b == 1);
    CHECK(resumes_a == 0);
}

TEST_CASE("pausing leaves the status line at plain \"paused\"", "[step-worker]") {
    Rig rig;
    rig.sched.add(yielder(50), {.name = "a"});
    StepWorker worker(rig.driver, &rig.capture, true, 100);
    worker.pause();
    REQUIRE(worker.wait_paused(5));
    CHECK(worker.status().paused_because.empty());
}
