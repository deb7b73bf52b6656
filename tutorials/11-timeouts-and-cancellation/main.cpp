// Chapter 11: Timeouts, cancellation and cleanup
// Builds on: 10.  New here: strong/weak timeouts, TimedOperation, cleanup(), cancel, Cancelled.
// Run: build/tutorials/11-timeouts-and-cancellation/tutorial-11   (output: expected.txt)
//
// Every wait can take a deadline. When the deadline passes first, the scheduler does not call
// the operation's finalize(): it calls its cleanup(), which must undo whatever process()
// registered, and throws OperationTimeout at the co_await. Cancelling a coroutine takes the
// very same path, with Cancelled instead. This chapter times out cogen's own operations,
// writes one with a real cleanup(), and lets you race a cancel against a wakeup (--pick).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "cogen/cogen.hpp"
#include "tutorial/chapter.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::Coroutine;
using cogen::Disposition;
using cogen::Timeout;
using cogen::tutorial::Stage;

// [step 1] a strong timeout: OperationTimeout at the deadline
//
// WaitForSignal{"name", 500ms} gives up 500ms after it is awaited. The exception names the
// operation that expired, and the operation's cleanup() has already taken it off the
// signal's waiter list: a later Signal finds nobody.
Coro<> passenger(Stage& stage) {
    // Built first, awaited below: its address identifies it in the catch.
    auto wait = cogen::WaitForSignal{"bus", 500ms};
    try {
        co_await wait;
        std::printf("  the bus came\n");
    } catch (const cogen::OperationTimeout& e) {
        std::printf("  t=%lldms %s (the expired op is ours: %s)\n", stage.now_ms(), e.what(),
                    e.op() == &wait ? "yes" : "no");
    }
    const std::size_t woken = co_await cogen::Signal{"bus"};
    std::printf("  t=%lldms a late Signal{\"bus\"} woke %zu\n", stage.now_ms(), woken);
}

// [step 2] your own timed operation, with a cleanup()
//
// A switchboard matches replies to requests: a client awaits the reply to request #id, and a
// server delivers the reply in pieces. AwaitReply is a cogen::TimedOperation<std::string>:
//   1. process():  the base class's process() arms the deadline; then the op registers
//                  itself in the switchboard and parks;
//   3. finalize(): the assembled reply becomes the value of co_await;
//   4. cleanup():  on timeout or cancellation, instead of finalize(): the op leaves the
//                  switchboard.
// Without cleanup(), the switchboard would keep a pointer to an operation whose coroutine
// has moved on (the op lives in the coroutine's frame), and the next piece would be written
// into memory that is no longer an AwaitReply. cleanup() is what makes a timeout safe.
class Switchboard {
  public:
    class AwaitReply;
    // co_await board.await_reply(id, timeout) yields the whole reply.
    AwaitReply await_reply(int id, Timeout timeout = {});
    // Called by the server: one more piece of the reply to request `id`.
    void deliver(int id, std::string_view piece, bool last);

  private:
    // Request id -> the parked operation waiting for its reply. Every entry
    // points into some coroutine's frame, which is why cleanup() must erase
    // its entry before that frame moves on.
    std::map<int, AwaitReply*> m_waiting;
};

class Switchboard::AwaitReply final : public cogen::TimedOperation<std::string> {
  public:
    // The base class keeps the Timeout; it is armed in process(), when the
    // op is awaited, not here when it is built.
    AwaitReply(Switchboard& board, int id, Timeout timeout)
        : TimedOperation(timeout), m_board(&board), m_id(id) {}

    // 1. Arm the deadline (base class), then wait in the switchboard.
    Disposition process(cogen::SchedulerCore& sched, Coroutine& coro) override {
        TimedOperation::process(sched, coro);
        m_board->m_waiting[m_id] = this;
        return Disposition::parked;
    }
    // 3. The whole reply.
    std::string finalize(cogen::SchedulerCore&) override { return std::move(m_reply); }
    // 4. Timed out or cancelled: undo what process() did.
    void cleanup(cogen::SchedulerCore&, Coroutine& coro) override {
        m_board->m_waiting.erase(m_id);
        std::printf("    AwaitReply::cleanup [%s] #%d leaves the switchboard, %zu bytes so far\n",
                    coro.name().c_str(), m_id, m_reply.size());
    }
    // The name appears in OperationTimeout::what(): "AwaitReply timed out".
    std::string_view name() const override { return "AwaitReply"; }

    // A piece arrived. The last one completes the op: schedule() queues the
    // coroutine and disarms the deadline. Any other piece is progress, which
    // re-arms a weak timeout (step 4).
    void receive(std::string_view piece, bool last) {
        m_reply += piece;
        if (last) {
            m_board->m_waiting.erase(m_id);
            scheduler().schedule(*this, cogen::Placement::back, cogen::Outcome::other);
        } else {
            record_progress();
        }
    }

  private:
    Switchboard* m_board;
    int m_id;
    std::string m_reply;  // the pieces received so far
};

Switchboard::AwaitReply Switchboard::await_reply(int id, Timeout timeout) {
    return AwaitReply{*this, id, timeout};
}

void Switchboard::deliver(int id, std::string_view piece, bool last) {
    auto it = m_waiting.find(id);
    // No entry: the client gave up (cleanup erased it) or never asked.
    if (it == m_waiting.end()) {
        std::printf("    switchboard: a piece for #%d is dropped, nobody waits for it\n", id);
        return;
    }
    it->second->receive(piece, last);
}

// The server side, shared by steps 2 to 4: `pieces` pieces, one every `gap`.
Coro<> serve(std::shared_ptr<Switchboard> board, int id, int pieces,
             std::chrono::milliseconds gap) {
    for (int i = 1; i <= pieces; ++i) {
        co_await cogen::Sleep{gap};
        board->deliver(id, "piece" + std::to_string(i) + ";", i == pieces);
    }
}

Coro<> client(Stage& stage, std::shared_ptr<Switchboard> board, int id, Timeout limit,
              const char* kind) {
    try {
        const std::string reply = co_await board->await_reply(id, limit);
        std::printf("  t=%lldms %s#%d got \"%s\"\n", stage.now_ms(), kind, id, reply.c_str());
    } catch (const cogen::OperationTimeout& e) {
        std::printf("  t=%lldms %s#%d: %s\n", stage.now_ms(), kind, id, e.what());
    }
}

void switchboard(Stage& s) {
    auto board = std::make_shared<Switchboard>();
    // #1: 2 pieces in 200ms, 500ms allowed. #2: 3 pieces in 300ms, 150ms allowed.
    s.sched.add(client(s, board, 1, 500ms, ""), {.name = "client-1"});
    s.sched.add(serve(board, 1, 2, 100ms), {.name = "server-1"});
    s.sched.add(client(s, board, 2, 150ms, ""), {.name = "client-2"});
    s.sched.add(serve(board, 2, 3, 100ms), {.name = "server-2"});
}

// [step 3] weak and strong timeouts
//
// A strong timeout (the default) is a deadline: 300ms after the await, done or not. A weak
// timeout, Timeout{300ms, true}, is an inactivity limit: each record_progress() (a piece
// arriving) restarts the 300ms. The same slow reply, five pieces 200ms apart, meets both.
void weak_and_strong(Stage& s) {
    auto board = std::make_shared<Switchboard>();
    s.sched.add(client(s, board, 3, Timeout{300ms, true}, "weak "), {.name = "weak-client"});
    s.sched.add(serve(board, 3, 5, 200ms), {.name = "server-3"});
    s.sched.add(client(s, board, 4, Timeout{300ms}, "strong "), {.name = "strong-client"});
    s.sched.add(serve(board, 4, 5, 200ms), {.name = "server-4"});
}

// [step 4] cancellation takes the cleanup path too
//
// CoroRef::cancel() on a coroutine parked on an operation runs that operation's cleanup() at
// once, then resumes the coroutine with Cancelled thrown at its co_await. If the coroutine
// lets it escape, it ends "killed": its locals are destroyed as the exception unwinds, and its
// joiners receive Cancelled. Nothing is reported as an error: cancelling is not failing.
struct Announce {
    const char* text;
    ~Announce() { std::printf("  %s\n", text); }
};

Coro<> hopeful(std::shared_ptr<Switchboard> board) {
    Announce bye{"hopeful: local destroyed while Cancelled unwinds"};
    co_await board->await_reply(5);  // nobody will ever answer #5
    std::printf("  hopeful: never printed\n");
}

Coro<> watcher(Stage& stage, cogen::CoroRef<> target) {
    try {
        co_await cogen::Join{target};
    } catch (const cogen::Cancelled& e) {
        std::printf("  t=%lldms watcher: Join threw Cancelled (\"%s\")\n", stage.now_ms(),
                    e.what());
    }
}

Coro<> janitor(Stage& stage, cogen::CoroRef<> target) {
    co_await cogen::Sleep{1s};
    std::printf("  t=%lldms janitor: cancel 'hopeful'\n", stage.now_ms());
    target.cancel();  // cleanup() runs now; Cancelled is thrown at the co_await
}

void cancellation(Stage& s) {
    auto board = std::make_shared<Switchboard>();
    // add() returns the handle the janitor cancels and the watcher joins.
    cogen::CoroRef<> target = s.sched.add(hopeful(board), {.name = "hopeful"});
    s.sched.add(watcher(s, target), {.name = "watcher"});
    s.sched.add(janitor(s, target), {.name = "janitor"});
}

// [step 5] a cancel meets a wakeup
//
// The rider waits for the bus; the driver signals it; the guard cancels the rider. Which of
// the two comes first decides what the rider gets. A cancel finds the rider in one of three
// states: parked (cleanup() runs, Cancelled is thrown), woken but not yet resumed (queued:
// it resumes with Cancelled instead of its value, which is lost), or already finished (no
// effect). With the scheduler's own order, the guard runs between the wakeup and the resume.
Coro<> rider() {
    try {
        const cogen::Value v = co_await cogen::WaitForSignal{"bus"};
        std::printf("  rider: got on bus %s\n", v.to_string().c_str());
    } catch (const cogen::Cancelled&) {
        std::printf("  rider: Cancelled\n");
    }
}

Coro<> driver() {
    std::printf("  driver: Signal{\"bus\", 7}\n");
    const std::size_t woken = co_await cogen::Signal{"bus", cogen::Value{std::int64_t{7}}};
    std::printf("  driver: the signal woke %zu\n", woken);
}

Coro<> guard(cogen::CoroRef<> target) {
    std::printf("  guard: cancel the rider\n");
    target.cancel();
    co_return;
}

void race(Stage& s) {
    cogen::CoroRef<> r = s.sched.add(rider(), {.name = "rider"});
    s.sched.add(driver(), {.name = "driver"});
    s.sched.add(guard(r), {.name = "guard"});
}

void rider_state(Stage& s) {
    std::printf("  run() returned with %zu coroutine(s) alive\n", s.sched.alive());
}

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    Chapter chapter{
        .number = 11,
        .title = "Timeouts, cancellation and cleanup",
        .scenes =
            {
                {.title = "step 1: a strong timeout",
                 .setup = [](Stage& s) { s.sched.add(passenger(s), {.name = "passenger"}); }},
                {.title = "step 2: a TimedOperation with cleanup", .setup = switchboard},
                {.title = "step 3: weak and strong", .setup = weak_and_strong},
                {.title = "step 4: cancellation", .setup = cancellation},
                {.title = "step 5: a cancel meets a wakeup", .setup = race, .after = rider_state},
            },
        // [step 6] the key moment, and the answers
        //
        // The moment: the passenger's WaitForSignal times out. --watch opens the visualizer
        // right after the op.timeout event, before its cleanup() runs.
        .moment = {.name = "the first timeout",
                   .scene = 0,
                   .when = match::kind(cogen::EventKind::op_timeout)},
        .view = "diagram",
        .check =
            [](const Run& run) {
                auto show = [&](std::size_t scene, const EventMatch& m) {
                    for (const std::string& l : run.trace(scene).lines(m))
                        std::printf("  %s\n", l.c_str());
                };
                // The claim, on every scene's trace: a timeout is always followed at once by
                // the cleanup of the same op, before anything else happens.
                for (std::size_t n = 0; n < 5; ++n) {
                    const auto events = run.trace(n).events();
                    for (std::size_t i = 0; i < events.size(); ++i) {
                        if (!events[i].is(cogen::EventKind::op_timeout)) continue;
                        if (i + 1 == events.size() ||
                            !events[i + 1].is(cogen::EventKind::op_cleanup) ||
                            events[i + 1].raw.op != events[i].raw.op) {
                            std::printf("CLAIM BROKEN: a timeout without its cleanup\n");
                            std::exit(1);
                        }
                    }
                }
                const auto timeout = match::kind(cogen::EventKind::op_timeout);
                const auto cleanup = match::kind(cogen::EventKind::op_cleanup);
                std::printf(
                    "P1: step 1, the wait times out at 500ms, and its cleanup runs at "
                    "once:\n");
                show(0, [&](const Event& e) { return timeout(e) || cleanup(e); });
                std::printf("P2: step 2, only #2 times out:\n");
                show(1, timeout);
                std::printf("P3: step 3, only the strong client times out:\n");
                show(2, timeout);
                std::printf("P4: step 4, a cancel is a cleanup without a timeout:\n");
                show(3, cleanup);
                std::printf("  op.timeout events: %zu\n", run.trace(3).count(timeout));
                std::printf("P5: step 5, the signal wakes the rider, then the cancel lands:\n");
                show(4, match::kind(cogen::EventKind::signal_emit));
                std::printf("  cleanups: %zu (the rider was no longer parked)\n",
                            run.trace(4).count(cleanup));
            },
        .pick_scene = 4,
        .pick_runs = 2,
    };
    return run(chapter, argc, argv);
}
