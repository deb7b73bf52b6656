// Chapter 11: Watching it live
// Builds on: 10.  New here: viz::Capture, viz::run_with_visualizer, cogen-viz replay and attach.
// Run: build/tutorials/11-watching-it-live/tutorial-11   (output: expected.txt)
//
// Chapter 10 read a trace after the fact. The visualizer draws it while it
// happens: the loop diagram of docs/design.md with every coroutine as a token
// moving between the active queue, the timer heap, the signal and join lists,
// the queues and the proactor. This program runs a small restaurant under the
// in-process visualizer, where you pause, step one transition at a time, or
// pick the next coroutine yourself. Without a display it says so on stderr
// and simply runs; its output is the same either way.
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "cogen/cogen.hpp"
#include "cogen/trace/trace.hpp"
#include "cogen/viz/run_with_visualizer.hpp"

using namespace std::chrono_literals;
using cogen::Coro;

// [step 1] a program with something in every place of the diagram
//
// Waiters put orders on a queue (queue), the chef takes them (queue), cooks
// (timer heap) and rings a signal per waiter (signal); waiters wait for it
// (signal wait); the host joins everybody (join). Every token has somewhere
// interesting to be. The ManualClock makes the story print the same times on
// every run, whatever speed you step it at (step 5 swaps in the real clock).
struct Restaurant {
    explicit Restaurant(const cogen::Clock& c) : clock(c), opened(c.now()) {}

    const cogen::Clock& clock;
    std::chrono::nanoseconds opened;  // times are printed from the opening
    cogen::Queue<std::string> orders{0, "orders"};

    long long now_ms() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - opened).count();
    }
};

Coro<> chef(Restaurant& r) {
    for (;;) {
        const std::string order = co_await r.orders.get();
        if (order.empty()) break;  // closing time
        const std::string waiter = order.substr(0, order.find(':'));
        const std::string dish = order.substr(order.find(':') + 1);
        co_await cogen::Sleep{dish == "soup" ? 200ms : 500ms};
        std::printf("  t=%4lldms chef: %s is ready for %s\n", r.now_ms(), dish.c_str(),
                    waiter.c_str());
        co_await cogen::Signal{"ready:" + waiter, cogen::Value{dish}};
    }
    std::printf("  t=%4lldms chef: kitchen closed\n", r.now_ms());
}

Coro<> waiter(Restaurant& r, std::string name, std::string first, std::string second) {
    const std::array<std::string, 2> dishes{first, second};
    for (const std::string& dish : dishes) {
        co_await r.orders.put(name + ":" + dish);
        const cogen::Value served = co_await cogen::WaitForSignal{"ready:" + name, 5s};
        std::printf("  t=%4lldms %s: serves %s\n", r.now_ms(), name.c_str(),
                    served.as_string().c_str());
    }
}

Coro<> host(Restaurant& r) {
    auto kitchen = co_await cogen::AddCoro{chef(r), {.name = "chef"}};
    auto ann = co_await cogen::AddCoro{waiter(r, "ann", "soup", "stew"), {.name = "ann"}};
    auto bob = co_await cogen::AddCoro{waiter(r, "bob", "stew", "soup"), {.name = "bob"}};
    co_await cogen::Join{ann};
    co_await cogen::Join{bob};
    co_await r.orders.put("");  // closing time
    co_await cogen::Join{kitchen};
    std::printf("  t=%4lldms host: closed\n", r.now_ms());
}

// [step 5] attach to a program that is already running
//
// The third way in: the program serves its events on a socket (a LiveFeed,
// or COGEN_TRACE=live:ADDRESS for any program) and `cogen-viz --attach
// ADDRESS` connects, while it runs, from another process. This mode uses the
// real clock, waits (up to a minute) for a viewer, then opens the restaurant.
int serve_live(const char* address) {
    cogen::trace::LiveFeed feed{address};
    std::printf("attach with: cogen-viz --attach %s\n", feed.address().c_str());
    std::fflush(stdout);
    for (int i = 0; i < 600 && feed.viewers() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));

    cogen::SteadyClock clock;
    Restaurant r{clock};
    cogen::Scheduler sched{{.clock = &clock, .instrument = &feed}};
    sched.add(host(r), {.name = "host"});
    sched.run();
    return 0;
}

int main(int argc, char** argv) {
    const char* usage = "usage: tutorial-11 [--png OUT.png | --live ADDR]\n";
    if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
        std::fputs(usage, stdout);
        return 0;
    }
    const bool known =
        argc == 1 ||
        (argc == 3 && (std::strcmp(argv[1], "--live") == 0 || std::strcmp(argv[1], "--png") == 0));
    if (!known) {
        std::fputs(usage, stderr);
        return 2;
    }
    if (argc == 3 && std::strcmp(argv[1], "--live") == 0) return serve_live(argv[2]);

    cogen::ManualClock clock;
    Restaurant r{clock};

    // [step 4] keep a file too, for replay: Capture forwards every event
    //
    // A scheduler has one instrument at a time. The visualizer's is a
    // Capture; given another instrument, the Capture passes every event on
    // to it, from the first. Here that is a JsonlWriter, so the run can be
    // replayed later with `cogen-viz restaurant.jsonl`.
    cogen::trace::JsonlWriter file{"restaurant.jsonl"};
    cogen::viz::Capture capture{&file};
    cogen::Scheduler sched{
        {.proactor = cogen::ProactorKind::poll, .clock = &clock, .instrument = &capture}};
    sched.add(host(r), {.name = "host"});

    // [step 3] how the window starts
    //
    // Paused before the first transition, running at 4 transitions per
    // second once you press Run, and stopping by itself whenever a Signal is
    // processed. `--png FILE` renders the window to a picture instead of
    // showing it (docs and tests; no display needed): it runs until the first
    // breakpoint and draws that moment.
    cogen::viz::VisualizerOptions options;
    options.title = "tutorial 11: a restaurant";
    options.steps_per_second = 4;
    options.break_on_op = "Signal";
    if (argc == 3 && std::strcmp(argv[1], "--png") == 0) options.screenshot_png = argv[2];

    // [step 2] hand the scheduler to the visualizer
    //
    // run_with_visualizer() steps the scheduler from the window until you
    // close it. With no display (no X server, as in the test suite), it says
    // so on stderr and calls sched.run() instead. Closing the window early
    // leaves the rest of the run in the scheduler: sched.run() finishes it,
    // so the story is always complete.
    std::printf("the restaurant opens\n");
    cogen::viz::run_with_visualizer(sched, options);
    sched.run();
    std::printf("the restaurant is closed; %zu coroutine(s) left\n", sched.alive());
}
