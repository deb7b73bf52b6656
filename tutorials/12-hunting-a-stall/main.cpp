// Chapter 12: Hunting a stall
// Builds on: 10.  New here: Scheduler::coroutines(), viz::TraceModel, find_stalls_at_end.
// Run: build/tutorials/12-hunting-a-stall/tutorial-12   (output: expected.txt)
//
// A stall is a coroutine that waits for something that will never happen.
// Nothing crashes and nothing is reported: the coroutine just stops, and the
// program does less than it should, or hangs. This chapter plants the most
// common stall of all in a small order-packing program, follows the clues
// from the symptom to the cause with the runtime's own view and the trace,
// lets the stall detector name it, and fixes it.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "cogen/trace/trace.hpp"
#include "cogen/viz/vizmodel.hpp"

using namespace std::chrono_literals;
using cogen::Coro;

// [step 1] the program, and its symptom
//
// A coordinator starts two packers, queues four orders, then queues a stop
// marker (order 0) and waits for both packers to finish. Each packer takes
// orders until it sees the stop marker. The bug is one line, and the output
// does not point at it: one stop marker for two packers.
struct Shop {
    cogen::Queue<int> orders{0, "orders"};
    int packed = 0;
    int stop_markers = 1;  // the bug: there are two packers
};

Coro<> packer(Shop& shop, const char* name) {
    for (;;) {
        const int order = co_await shop.orders.get();
        if (order == 0) break;  // the stop marker
        co_await cogen::Sleep{100ms};
        ++shop.packed;
        std::printf("  %s packed order %d\n", name, order);
    }
    std::printf("  %s stops\n", name);
}

Coro<> coordinator(Shop& shop) {
    auto a = co_await cogen::AddCoro{packer(shop, "packer-a"), {.name = "packer-a"}};
    auto b = co_await cogen::AddCoro{packer(shop, "packer-b"), {.name = "packer-b"}};
    for (int order = 1; order <= 4; ++order) co_await shop.orders.put(order);
    for (int i = 0; i < shop.stop_markers; ++i) co_await shop.orders.put(0);
    co_await cogen::Join{a};
    co_await cogen::Join{b};
    std::printf("  coordinator: all packers stopped\n");
}

// Runs the shop on a ManualClock with a Recorder attached; returns the trace.
cogen::trace::TraceData run_shop(Shop& shop) {
    cogen::ManualClock clock;
    cogen::trace::Recorder recorder;
    cogen::Scheduler sched{
        {.proactor = cogen::ProactorKind::poll, .clock = &clock, .instrument = &recorder}};
    sched.add(coordinator(shop), {.name = "coordinator"});
    sched.run();
    std::printf("run() returned: %d orders packed, %zu coroutine(s) still alive\n", shop.packed,
                sched.alive());

    // [step 2] look inside: who is still alive, and what is it waiting on?
    //
    // The scheduler knows its live coroutines. For each: its state, the
    // operation it awaits, and that operation's wait label (the queue's
    // name, the joined coroutine, the signal). This is the first clue.
    for (const cogen::Coroutine* c : cogen::SchedulerObserver{sched}.coroutines()) {
        const cogen::Operation* op = c->current_op();
        std::printf("  %-11s %s on %s %s\n", c->name().c_str(), cogen::to_string(c->state()),
                    op ? std::string(op->name()).c_str() : "-",
                    op ? ("(" + op->wait_label() + ")").c_str() : "");
    }
    return recorder.take();
}

// The trace tells the same story in time order. These are the lines where a
// coroutine parked (op.process ... -> wait:...) and never got an op.ready
// afterwards: the last thing each stuck coroutine did.
void print_last_waits(const cogen::trace::TraceData& data) {
    cogen::trace::TextRenderer renderer{data.strings};  // fed every event, in order
    std::map<std::uint64_t, std::string> last_wait;     // coroutine id -> its open wait
    for (const cogen::TraceEvent& e : data.events) {
        const std::string line = renderer.line(e);
        if (e.kind == cogen::EventKind::op_process) last_wait[e.coro] = line;
        if (e.kind == cogen::EventKind::op_ready || e.kind == cogen::EventKind::coro_finish)
            last_wait.erase(e.coro);
    }
    for (const auto& [coro, line] : last_wait) std::printf("  %s\n", line.c_str());
}

// [step 3] ask the stall detector
//
// The visualizer's model (visualizer/model, cogen::vizmodel) replays a trace
// into states and derives stall findings from them: untimed waits,
// signals nobody can send, wait cycles, CPU hogs, descriptors that never
// became ready, failures nobody joined (docs/stalls.md).
// find_stalls_at_end() judges the state at the end of run(), when nothing can
// wake a wait any more. `cogen-trace stalls FILE` prints the same findings
// for a trace file, so the trace is also saved as orders.jsonl.
int report_stalls(const cogen::trace::TraceData& data, const char* file) {
    std::ofstream out{file};
    cogen::trace::export_jsonl(data, out);

    const cogen::viz::TraceModel model{data};
    const std::vector<cogen::viz::Finding> findings = cogen::viz::find_stalls_at_end(model);
    std::printf("%zu finding(s):\n", findings.size());
    for (const cogen::viz::Finding& f : findings) {
        std::printf("  [%s] %s: %s\n", std::string(cogen::viz::to_string(f.kind)).c_str(),
                    f.coro_name.c_str(), f.explanation.c_str());
    }
    return static_cast<int>(findings.size());
}

int main() {
    std::printf("--- step 1: the symptom ---\n");
    Shop buggy;
    const cogen::trace::TraceData trace = run_shop(buggy);
    std::printf("--- step 2: the last waits in the trace ---\n");
    print_last_waits(trace);
    std::printf("--- step 3: the stall detector ---\n");
    report_stalls(trace, "orders.jsonl");

    // [step 4] the fix: one stop marker per packer
    std::printf("--- step 4: fixed ---\n");
    Shop fixed;
    fixed.stop_markers = 2;
    const cogen::trace::TraceData good = run_shop(fixed);
    return report_stalls(good, "orders-fixed.jsonl") == 0 ? 0 : 1;
}
