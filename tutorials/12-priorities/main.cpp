// Chapter 12: Priorities
// Builds on: 11.  New here: Priority (LAST, OP, CORO, FIRST), the one table of who goes where.
// Run: build/tutorials/12-priorities/tutorial-12   (output: expected.txt)
//
// When one operation makes several coroutines runnable at once, its priority decides where
// each of them goes in the active queue: the front, the back, or (for the issuer) straight
// on without a trip through the queue. Priorities belong to operations, not coroutines.
// This chapter plays the same two scenes under each of the four priorities and lets the
// learner predict every row of the table before the run prints it.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "cogen/cogen.hpp"
#include "tutorial/chapter.hpp"

using cogen::Coro;
using cogen::Priority;
using cogen::Value;
using cogen::tutorial::Stage;

// The order in which the coroutines of a scene come back from their operation. A scene may
// be played more than once per process (--pick, --png), so each setup makes its own.
struct Order {
    std::string text;
    void note(const char* name) {
        if (!text.empty()) text += ' ';
        text += name;
    }
};

// [step 1] Signal: the waiters and the signaler
//
// Three waiters park on "go"; a bystander is already in the queue when the signal fires;
// then the signaler fires with the scene's priority. Everyone notes when it comes back.
Coro<> waiter(std::shared_ptr<Order> order, const char* name) {
    co_await cogen::WaitForSignal{"go"};
    order->note(name);
}

// The bystander stands in for "the hundred coroutines already queued" of a busy program: it
// is runnable when the signal fires, so front and back are two different places.
Coro<> bystander(std::shared_ptr<Order> order) {
    co_await cogen::Yield{};
    order->note("by");
}

Coro<> signaler(std::shared_ptr<Order> order, Priority prio) {
    // The fourth argument is the priority; the value and the recipients keep their defaults.
    co_await cogen::Signal{"go", Value{}, 0, prio};
    order->note("sig");
}

void signal_scene(Stage& stage, Priority prio, std::shared_ptr<Order> order) {
    stage.sched.add(waiter(order, "w1"), {.name = "w1"});
    stage.sched.add(waiter(order, "w2"), {.name = "w2"});
    stage.sched.add(waiter(order, "w3"), {.name = "w3"});
    stage.sched.add(bystander(order), {.name = "by"});
    stage.sched.add(signaler(order, prio), {.name = "sig"});
}

// [step 2] AddCoro: the new coroutine and the adder
//
// A parent adds a child with the scene's priority while a bystander is queued. The child
// notes when its body starts, the parent when it comes back from AddCoro.
Coro<> child(std::shared_ptr<Order> order) {
    order->note("child");
    co_return;
}

Coro<> parent(std::shared_ptr<Order> order, Priority prio) {
    co_await cogen::AddCoro{child(order), {.name = "child", .priority = prio}};
    order->note("parent");
}

void add_scene(Stage& stage, Priority prio, std::shared_ptr<Order> order) {
    stage.sched.add(bystander(order), {.name = "by"});
    stage.sched.add(parent(order, prio), {.name = "parent"});
}

// One scene per priority. Its setup makes a fresh Order (a scene may be played twice) and
// keeps it in a slot its `after` reads once the scheduler is idle, to print the row.
cogen::tutorial::Scene row(std::string title, Priority prio,
                           void (*scene)(Stage&, Priority, std::shared_ptr<Order>)) {
    auto slot = std::make_shared<std::shared_ptr<Order>>();
    return {.title = std::move(title),
            .setup =
                [=](Stage& s) {
                    *slot = std::make_shared<Order>();
                    scene(s, prio, *slot);
                },
            .after =
                [=](Stage&) {
                    std::printf("  %-5s: %s\n", cogen::to_string(prio), (*slot)->text.c_str());
                }};
}

// [step 3] the key moment, the answers, and the claims checked on the trace
//
// The table's claims, checked on the trace of each scene: right after the op, every
// coroutine it made runnable was queued where the table says (front, back) or not queued at
// all (the issuer that continues "now"). A scene that breaks its row fails --check.
namespace {

using cogen::tutorial::Event;
using cogen::tutorial::Run;
using cogen::tutorial::SceneTrace;

// Where the op's placements went ("w1:back w2:back ..."): the sched.active events from the
// issuer's suspension on the op up to the loop's next pick.
std::string placements(const SceneTrace& trace, std::string_view issuer) {
    std::string out;
    bool in = false;
    for (const Event& e : trace.events()) {
        if (!in) {
            in = e.is(cogen::EventKind::coro_suspend) && e.coro == issuer;
            continue;
        }
        if (!e.is(cogen::EventKind::sched_active)) continue;
        const auto change = static_cast<cogen::ActiveChange>(e.raw.b);
        if (change == cogen::ActiveChange::taken) break;
        if (!out.empty()) out += ' ';
        out +=
            std::string(e.coro) + ":" + (change == cogen::ActiveChange::front ? "front" : "back");
    }
    return out;
}

// Who came back first after the op: the coroutines' resumes from the issuer's suspension on
// (a child's first resume is its start; the issuer's own resume is its return from the op).
std::string resumes(const SceneTrace& trace, std::string_view issuer) {
    std::string out;
    bool in = false;
    for (const Event& e : trace.events()) {
        if (!in) {
            in = e.is(cogen::EventKind::coro_suspend) && e.coro == issuer;
            continue;
        }
        if (!e.is(cogen::EventKind::coro_resume)) continue;
        if (!out.empty()) out += ' ';
        out += std::string(e.coro);
    }
    return out;
}

bool claim(bool ok, const char* what) {
    if (!ok) std::printf("CLAIM BROKEN: %s\n", what);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    constexpr Priority prios[] = {Priority::LAST, Priority::OP, Priority::CORO, Priority::FIRST};
    Chapter chapter{
        .number = 12,
        .title = "Priorities",
        .moment = {.name = "the signal that jumps the queue",
                   .scene = 1,
                   .when = match::kind(cogen::EventKind::signal_emit)},
        .view = "diagram",
        .pick_scene = 0,
    };
    for (std::size_t i = 0; i < 4; ++i)
        chapter.scenes.push_back(
            row(i == 0 ? "step 1: Signal under each priority" : "", prios[i], signal_scene));
    for (std::size_t i = 0; i < 4; ++i)
        chapter.scenes.push_back(
            row(i == 0 ? "step 2: AddCoro under each priority" : "", prios[i], add_scene));
    chapter.check = [](const Run& run) {
        const char* names[] = {"LAST", "OP", "CORO", "FIRST"};
        bool ok = true;
        std::printf(
            "P1: Signal, where each coroutine went right after the signal, and who "
            "came back first:\n");
        for (std::size_t i = 0; i < 4; ++i) {
            const std::string got = placements(run.trace(i), "sig");
            std::printf("  %-5s: %-40s -> %s\n", names[i], got.c_str(),
                        resumes(run.trace(i), "sig").c_str());
            const bool op = i == 1 || i == 3, coro = i == 2 || i == 3;
            // Waiters: OP pushes each to the front (so the last registered ends up first);
            // without OP they join the back in registration order. Signaler: CORO front.
            const std::string w = op ? "front" : "back";
            const std::string expect =
                op ? "w1:" + w + " w2:" + w + " w3:" + w : "w1:back w2:back w3:back";
            ok &= claim(got.rfind(expect, 0) == 0, "Signal's waiters go where the OP bit says");
            ok &= claim(got.ends_with(coro ? "sig:front" : "sig:back"),
                        "the signaler goes where the CORO bit says");
        }
        std::printf(
            "P2, P3: AddCoro, where each coroutine went right after AddCoro "
            "(parent absent: it went on at once), and who came back first:\n");
        for (std::size_t i = 0; i < 4; ++i) {
            const std::string got = placements(run.trace(4 + i), "parent");
            std::printf("  %-5s: %-25s -> %s\n", names[i], got.c_str(),
                        resumes(run.trace(4 + i), "parent").c_str());
            const bool op = i == 1 || i == 3, coro = i == 2 || i == 3;
            // The new coroutine: OP -> back, without OP -> front (the inverted bit).
            ok &= claim(got.rfind(op ? "child:back" : "child:front", 0) == 0,
                        "AddCoro's child goes back with OP, front without");
            // The adder: CORO -> continues now (no sched.active), else back.
            ok &= claim(got.find("parent") == std::string::npos ? coro : !coro,
                        "AddCoro's adder continues now with CORO, goes back without");
        }
        if (!ok) std::exit(1);
    };
    return run(chapter, argc, argv);
}
