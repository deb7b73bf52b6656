// Chapter 13: Writing your own operation
// Builds on: 11, 03.  New here: TimedOperation, process/finalize/cleanup of your own op.
// Run: build/tutorials/13-writing-your-own-operation/tutorial-13   (output: expected.txt)
//
// Every co_await in cogen is an operation with the same three hooks: process (may it finish
// now? if not, register somewhere), finalize (the value of the co_await), and cleanup (the
// deadline passed first: undo the registration). This chapter writes one, a Barrier, then
// removes its cleanup and follows the leak through the trace.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "tutorial/chapter.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::tutorial::Stage;

// [step 1] a Barrier: the n-th arrival releases the others
//
// The barrier keeps one registration per waiting op. A registration is a ticket the op
// shares with the barrier; the op's destructor empties it (`op = nullptr`), so a ticket can
// never point at an op that is gone, even when cleanup is missing (step 3). Without that
// safety net the missing cleanup would leave a dangling pointer: undefined behaviour, not a
// lesson you can watch.
class BarrierWait;
struct Ticket {
    BarrierWait* op = nullptr;
};

struct Barrier {
    std::size_t n = 2;
    std::string name;
    std::vector<std::shared_ptr<Ticket>> registered;
};

class BarrierWait : public cogen::TimedOperation<std::size_t> {
  public:
    explicit BarrierWait(Barrier& barrier, cogen::Timeout timeout = {})
        : TimedOperation(timeout), m_barrier(&barrier) {}
    ~BarrierWait() override {
        if (m_ticket) m_ticket->op = nullptr;
    }

    // 1. The n-th arrival (counting the registered ones) releases everyone registered and
    //    completes at once; any earlier one registers and parks, with its deadline armed.
    cogen::Disposition process(cogen::SchedulerCore& sched, cogen::Coroutine& coro) override {
        if (m_barrier->registered.size() + 1 < m_barrier->n) {
            TimedOperation::process(sched, coro);  // arms the deadline, if any
            m_ticket = std::make_shared<Ticket>(Ticket{this});
            m_barrier->registered.push_back(m_ticket);
            return cogen::Disposition::parked;
        }
        m_released = 0;
        for (const auto& ticket : m_barrier->registered) {
            if (!ticket->op) continue;  // an op that is gone: nothing to wake
            ticket->op->m_released = m_barrier->registered.size() + 1;
            sched.schedule(*ticket->op, cogen::Placement::back, cogen::Outcome::other, coro.id());
        }
        m_released = m_barrier->registered.size() + 1;
        m_barrier->registered.clear();
        return cogen::Disposition::complete;
    }

    // 3. The value of co_await: how many crossed together (as the barrier counted them).
    std::size_t finalize(cogen::SchedulerCore&) override { return m_released; }

    // 4. The deadline passed first: leave the barrier, or it counts a coroutine that left.
    void cleanup(cogen::SchedulerCore&, cogen::Coroutine&) override {
        std::erase(m_barrier->registered, m_ticket);
    }

    std::string_view name() const override { return "BarrierWait"; }
    cogen::Outcome waits_on() const noexcept override { return cogen::Outcome::other; }
    std::string wait_label() const override { return "barrier '" + m_barrier->name + "'"; }

  private:
    Barrier* m_barrier;
    std::shared_ptr<Ticket> m_ticket;
    std::size_t m_released = 0;
};

// Hikers cross a narrow bridge in pairs. Each arrives after `delay`, waits at most
// `patience` for a partner, and crosses or goes home.
struct Trail {
    Barrier bridge{.n = 2, .name = "bridge", .registered = {}};
    int crossed = 0;
};

template <class Wait>
Coro<> hiker(std::shared_ptr<Trail> trail, const char* name, std::chrono::milliseconds delay,
             cogen::Timeout patience, Stage* stage) {
    co_await cogen::Sleep{delay};
    std::printf("  t=%3lld ms  %s arrives\n", stage->now_ms(), name);
    try {
        const std::size_t group = co_await Wait{trail->bridge, patience};
        ++trail->crossed;
        std::printf("  t=%3lld ms  %s crosses, in a group of %zu\n", stage->now_ms(), name, group);
    } catch (const cogen::OperationTimeout&) {
        std::printf("  t=%3lld ms  %s gives up and goes home\n", stage->now_ms(), name);
    }
}

// [step 2] a timeout, with cleanup
//
// ann waits at most 100 ms; bob arrives at 150 ms, cid at 200 ms.
template <class Wait>
void trail_scene(Stage& stage, std::shared_ptr<Trail> trail) {
    // The Stage outlives the scene's run: the harness keeps it until `after` returns.
    stage.sched.add(hiker<Wait>(trail, "ann", 0ms, 100ms, &stage), {.name = "ann"});
    stage.sched.add(hiker<Wait>(trail, "bob", 150ms, {}, &stage), {.name = "bob"});
    stage.sched.add(hiker<Wait>(trail, "cid", 200ms, {}, &stage), {.name = "cid"});
}

// [step 3] the same barrier without its cleanup
//
// Everything is inherited except cleanup, which does nothing: the scheduler still calls
// it at the timeout, and the registration stays.
class LeakyBarrierWait final : public BarrierWait {
  public:
    using BarrierWait::BarrierWait;
    void cleanup(cogen::SchedulerCore&, cogen::Coroutine&) override {}
};

// [step 4] the key moment, the answers, and the claims
namespace {

using cogen::tutorial::Event;
using cogen::tutorial::EventMatch;
using cogen::tutorial::Run;
using cogen::tutorial::SceneTrace;

bool claim(bool ok, const char* what) {
    if (!ok) std::printf("CLAIM BROKEN: %s\n", what);
    return ok;
}

// The first op.process of `coro`'s BarrierWait that completed at once (the release).
EventMatch released_by(std::string coro) {
    return [coro](const Event& e) {
        return e.is(cogen::EventKind::op_process) && e.coro == coro && e.op_type == "BarrierWait" &&
               static_cast<cogen::Outcome>(e.raw.a) == cogen::Outcome::ready;
    };
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    auto slot = std::make_shared<std::shared_ptr<Trail>>();
    auto report = [slot](Stage& s) {
        std::printf("  run() returned at %lld ms: %d crossed, %zu still waiting\n", s.now_ms(),
                    (*slot)->crossed, s.sched.alive());
    };
    Chapter chapter{
        .number = 13,
        .title = "Writing your own operation",
        .scenes =
            {
                {.title = "step 2: a timeout, with cleanup",
                 .setup =
                     [slot](Stage& s) {
                         *slot = std::make_shared<Trail>();
                         trail_scene<BarrierWait>(s, *slot);
                     },
                 .after = report},
                {.title = "step 3: the same, without cleanup",
                 .setup =
                     [slot](Stage& s) {
                         *slot = std::make_shared<Trail>();
                         trail_scene<LeakyBarrierWait>(s, *slot);
                     },
                 .after = report},
            },
        // The moment: bob's wait completes at once in the leaky scene, released by a
        // registration whose coroutine had left.
        .moment = {.name = "the release by a ghost", .scene = 1, .when = released_by("bob")},
        .view = "diagram",
    };
    chapter.check = [](const Run& run) {
        auto show = [&](const SceneTrace& trace, const EventMatch& m) {
            for (const std::string& l : trace.lines(m)) std::printf("  %s\n", l.c_str());
        };
        auto barrier_events = [](const Event& e) {
            return e.op_type == "BarrierWait" &&
                   (e.is(cogen::EventKind::op_process) || e.is(cogen::EventKind::op_cleanup) ||
                    e.is(cogen::EventKind::op_ready) || e.is(cogen::EventKind::op_timeout));
        };
        const SceneTrace& good = run.trace(0);
        const SceneTrace& leaky = run.trace(1);
        std::printf("P1, P2: with cleanup, the barrier's events:\n");
        show(good, barrier_events);
        std::printf("P3: without cleanup, the barrier's events:\n");
        show(leaky, barrier_events);

        bool ok = true;
        // With cleanup: cid's arrival releases bob; without: bob's arrival "releases" a
        // registration whose coroutine left at the timeout, and cid is stranded.
        ok &= claim(good.count(released_by("cid")) == 1 && good.count(released_by("bob")) == 0,
                    "with cleanup, the pair is bob and cid: cid's arrival releases bob");
        ok &= claim(leaky.count(released_by("bob")) == 1,
                    "without cleanup, bob's wait completes at once against ann's old ticket");
        const auto parked = [](const Event& e) {
            return e.is(cogen::EventKind::op_process) && e.coro == "cid" &&
                   static_cast<cogen::Outcome>(e.raw.a) == cogen::Outcome::other;
        };
        const auto woke_cid = [](const Event& e) {
            return e.is(cogen::EventKind::op_ready) && e.coro == "cid" &&
                   e.op_type == "BarrierWait";
        };
        ok &= claim(leaky.count(parked) == 1 && leaky.count(woke_cid) == 0,
                    "without cleanup, cid parks and nobody ever wakes it");
        if (!ok) std::exit(1);
    };
    return run(chapter, argc, argv);
}
