// Chapter 16: Hunting a stall
// Builds on: 14, 12, 08, 07.  New here: mystery programs (--seed N), the stall detector, why.
// Run: build/tutorials/16-hunting-a-stall/tutorial-16 --seed N   (output: expected.txt, N = 0)
//
// A stall is a coroutine that waits for something that will never happen. Nothing crashes;
// the program does less than it should, or takes far longer. This chapter hands the learner
// a small bakery program that stalls, chosen by --seed, and the tools to find why: the
// symptom, the visualizer (--watch), the trace (saved for cogen-trace) and the stall
// detector. --check prints the answer for the seed. The mysteries live in this file; read
// the trace before you read their code.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <cogen/scheduler_observer.hpp>
#include "cogen/cogen.hpp"
#include "cogen/trace/trace.hpp"
#include "cogen/viz/vizmodel.hpp"
#include "tutorial/chapter.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::tutorial::Stage;

// [step 1] the bakery, and its symptom
//
// Every mystery is a bakery with the same report: how many loaves it promised, how many it
// delivered, and when it closed. `loud` is false when the program replays a mystery only to
// save its trace (step 2), so the story is printed once.
struct Bakery {
    bool loud = true;
    int promised = 0;
    int delivered = 0;
    void say(const char* who, const char* what, int n = -1) const {
        if (!loud) return;
        if (n < 0)
            std::printf("  %-8s %s\n", who, what);
        else
            std::printf("  %-8s %s %d\n", who, what, n);
    }
};
using BakeryPtr = std::shared_ptr<Bakery>;

// Mystery A.
struct Line {
    cogen::Queue<int> dough{1, "dough"};
    cogen::Queue<int> bread{1, "bread"};
};

Coro<> mixer(BakeryPtr b, std::shared_ptr<Line> line) {
    for (int n = 1; n <= b->promised; ++n) {
        co_await line->dough.put(n);
        b->say("mixer", "made dough", n);
    }
    for (int n = 1; n <= b->promised; ++n) {
        co_await line->bread.get();
        ++b->delivered;
        b->say("mixer", "delivered loaf", n);
    }
}

Coro<> oven(BakeryPtr b, std::shared_ptr<Line> line) {
    for (int n = 1; n <= b->promised; ++n) {
        const int d = co_await line->dough.get();
        co_await cogen::Sleep{30ms};
        co_await line->bread.put(d);
        b->say("oven", "baked", d);
    }
}

void mystery_a(Stage& s, BakeryPtr b) {
    b->promised = 4;
    auto line = std::make_shared<Line>();
    s.sched.add(mixer(b, line), {.name = "mixer"});
    s.sched.add(oven(b, line), {.name = "oven"});
}

// Mystery B.
Coro<> manager(BakeryPtr b) {
    co_await cogen::Sleep{10ms};
    b->say("manager", "opens the shop");
    co_await cogen::Signal{"open"};
}

Coro<> cashier(BakeryPtr b, std::shared_ptr<cogen::Queue<int>> customers) {
    co_await cogen::Sleep{20ms};
    b->say("cashier", "counted the till");
    co_await cogen::WaitForSignal{"open"};
    for (int n = 1; n <= b->promised; ++n) {
        co_await customers->get();
        ++b->delivered;
        b->say("cashier", "sold loaf", n);
    }
}

Coro<> customer(std::shared_ptr<cogen::Queue<int>> customers, int n) {
    co_await cogen::Sleep{std::chrono::milliseconds(15 * n)};
    co_await customers->put(n);
}

void mystery_b(Stage& s, BakeryPtr b) {
    b->promised = 3;
    auto customers = std::make_shared<cogen::Queue<int>>(0, "customers");
    s.sched.add(manager(b), {.name = "manager"});
    s.sched.add(cashier(b, customers), {.name = "cashier"});
    for (int n = 1; n <= 3; ++n)
        s.sched.add(customer(customers, n), {.name = "customer-" + std::to_string(n)});
}

// Mystery C.
Coro<> packer(BakeryPtr b, std::shared_ptr<cogen::Queue<int>> orders) {
    for (;;) {
        const int order = co_await orders->get();
        co_await cogen::Sleep{20ms};
        ++b->delivered;
        b->say("packer", "packed order", order);
        if (order % 3 == 0) continue;
        co_await orders->task_done();
    }
}

Coro<> owner(BakeryPtr b, std::shared_ptr<cogen::Queue<int>> orders) {
    for (int n = 1; n <= b->promised; ++n) co_await orders->put(n);
    b->say("owner", "waits until every order is packed");
    co_await orders->join();
    b->say("owner", "closes the shop");
}

void mystery_c(Stage& s, BakeryPtr b) {
    b->promised = 4;
    auto orders = std::make_shared<cogen::Queue<int>>(0, "orders");
    s.sched.add(packer(b, orders), {.name = "packer"});
    s.sched.add(owner(b, orders), {.name = "owner"});
}

// Mystery D.
Coro<> courier(BakeryPtr b) {
    for (int attempt = 1; attempt <= 5; ++attempt) {
        try {
            co_await cogen::WaitForSignal{"parcel", 100ms};
            ++b->delivered;
            b->say("courier", "picked up the parcel");
            co_return;
        } catch (const cogen::OperationTimeout&) {
            b->say("courier", "nothing yet, attempt", attempt);
        }
        co_await cogen::Sleep{50ms};
    }
    b->say("courier", "gives up");
}

Coro<> baker(BakeryPtr b) {
    co_await cogen::Sleep{120ms};
    b->say("baker", "the parcel is ready");
    co_await cogen::Signal{"parcel"};
}

void mystery_d(Stage& s, BakeryPtr b) {
    b->promised = 1;
    s.sched.add(courier(b), {.name = "courier"});
    s.sched.add(baker(b), {.name = "baker"});
}

using Mystery = void (*)(Stage&, BakeryPtr);
constexpr Mystery mysteries[] = {mystery_a, mystery_b, mystery_c, mystery_d};
constexpr std::size_t mystery_count = std::size(mysteries);

// The symptom, once the scheduler is idle: what was promised, what came out, who is left.
void report(Stage& s, const Bakery& b) {
    std::printf("run() returned at %lld ms: %d of %d delivered, %zu coroutine(s) alive\n",
                s.now_ms(), b.delivered, b.promised, s.sched.alive());
}

// [step 2] the trace, saved for cogen-trace
//
// The harness records the scene for --watch and --check; for the command line, the program
// replays the same mystery, quietly, on its own scheduler with a Recorder and writes the
// trace to mystery-N.jsonl (N: the seed), the file `cogen-trace stalls` and `why` read.
void save_trace(Mystery mystery, std::uint64_t seed) {
    cogen::ManualClock clock;
    cogen::trace::Recorder recorder;
    {
        cogen::Scheduler sched{{.clock = &clock, .instrument = &recorder}};
        Stage stage{sched, clock};
        auto quiet = std::make_shared<Bakery>();
        quiet->loud = false;
        mystery(stage, quiet);
        sched.run();
        cogen::SchedulerObserver{sched}.set_instrument(nullptr);
    }
    const std::string file = "mystery-" + std::to_string(seed) + ".jsonl";
    std::ofstream out{file};
    cogen::trace::export_jsonl(recorder.data(), out);
    std::printf("trace written to %s\n", file.c_str());
}

// [step 3] the key moment, the answer, and the claim
//
// The key moment is **the last step that could still help**: the first event after which
// the run makes no more progress for the bakery. It is found on the trace (the last
// event that parks or loses a wakeup for good, per mystery in `moments` below), so --watch opens
// there without this file saying what goes wrong. --check prints the answer for the seed, and
// checks the claim that a stall is there to be found: the detector's findings, or for a
// stall that ends by itself, a signal that woke nobody.
namespace {

using cogen::tutorial::Event;
using cogen::tutorial::Run;

void print_findings(const cogen::trace::TraceData& data) {
    const cogen::viz::TraceModel model{data};
    const auto findings = cogen::viz::find_stalls_at_end(model);
    std::printf("  the stall detector: %zu finding(s)\n", findings.size());
    for (const cogen::viz::Finding& f : findings)
        std::printf("    [%s] %s\n", std::string(cogen::viz::to_string(f.kind)).c_str(),
                    f.explanation.c_str());
}

std::size_t count_kind(const cogen::trace::TraceData& data, cogen::viz::FindingKind kind) {
    const cogen::viz::TraceModel model{data};
    std::size_t n = 0;
    for (const cogen::viz::Finding& f : cogen::viz::find_stalls_at_end(model)) n += f.kind == kind;
    return n;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    const std::uint64_t n = seed(argc, argv);
    const Mystery mystery = mysteries[n % mystery_count];
    const std::size_t which = n % mystery_count;
    auto slot = std::make_shared<BakeryPtr>();
    const bool plain = argc == 1 || (argc == 3 && std::string_view(argv[1]) == "--seed");

    Chapter chapter{
        .number = 16,
        .title = "Hunting a stall",
        .scenes = {{.title = "the bakery of seed " + std::to_string(n),
                    .setup =
                        [=](Stage& s) {
                            *slot = std::make_shared<Bakery>();
                            mystery(s, *slot);
                        },
                    .after =
                        [=](Stage& s) {
                            report(s, **slot);
                            if (plain) save_trace(mystery, n);
                        }}},
        .view = "diagram",
        .accepts_seed = true,
    };
    // Each mystery's moment, as a trace predicate: the signal that nobody heard, or the
    // last wait that parks for good. Listed by mystery, not explained here.
    const std::vector<EventMatch> moments = {
        match::op_process("oven", "QPut", cogen::Outcome::queue),
        match::signal_lost("open"),
        match::op_process("owner", "QJoin", cogen::Outcome::queue),
        match::signal_lost("parcel"),
    };
    chapter.moment = {.name = "the last step that could still help", .when = moments[which]};

    chapter.check = [which](const Run& run) {
        const auto& trace = run.trace(0);
        const auto& data = trace.data();
        using cogen::viz::FindingKind;
        bool ok = true;
        auto show = [&](const EventMatch& m) {
            for (const std::string& l : trace.lines(m)) std::printf("  %s\n", l.c_str());
        };
        switch (which) {
            case 0:
                std::printf("mystery A: a deadlock across two bounded queues.\n");
                std::printf(
                    "  mixer puts all its dough before it takes any bread; the oven "
                    "cannot put bread until the mixer takes some, and the mixer cannot "
                    "put more dough until the oven takes some.\n");
                show(match::op_process("", "QPut", cogen::Outcome::queue));
                print_findings(data);
                // The detector sees two untimed queue waits; the cycle (each queue's only
                // reader is the other waiter) is what you read from the trace.
                ok = count_kind(data, FindingKind::untimed_wait) == 2;
                break;
            case 1:
                std::printf("mystery B: a lost wakeup (chapter 07).\n");
                std::printf(
                    "  the manager signals \"open\" at 10 ms, the cashier starts "
                    "waiting for it at 20 ms: nobody will send it again.\n");
                show(match::kind(cogen::EventKind::signal_emit));
                show(match::op_process("cashier", "WaitForSignal"));
                print_findings(data);
                ok = count_kind(data, FindingKind::orphan_signal) == 1;
                break;
            case 2:
                std::printf("mystery C: a forgotten task_done (chapter 08).\n");
                std::printf(
                    "  the packer skips task_done() for every third order (the "
                    "`continue`), so the queue's count never reaches 0 and join() "
                    "never returns, although every order was packed.\n");
                std::printf("  QDone processed: %zu time(s) for 4 orders put\n",
                            trace.count(match::op_process("packer", "QDone")));
                print_findings(data);
                ok = count_kind(data, FindingKind::untimed_wait) >= 1;
                break;
            default:
                std::printf("mystery D: a lost wakeup inside a timed retry loop.\n");
                std::printf(
                    "  the signal comes at 120 ms, while the courier sleeps between "
                    "two attempts (100-150 ms); a signal is not remembered, so every "
                    "later attempt times out. Nothing is stuck at the end: the "
                    "detector has nothing to report, the trace does.\n");
                show(match::kind(cogen::EventKind::signal_emit));
                print_findings(data);
                ok = trace.count(match::signal_lost("parcel")) == 1;
                break;
        }
        if (!ok) {
            std::printf("CLAIM BROKEN: the planted stall is not in the trace\n");
            std::exit(1);
        }
    };
    return run(chapter, argc, argv);
}
