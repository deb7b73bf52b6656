// Chapter 08: Timeouts and cleanup
// Builds on: 05.  New here: Timeout, OperationTimeout, TimedOperation, cleanup(), CoroRef::cancel.
// Run: build/tutorials/08-timeouts-and-cleanup/tutorial-08   (output: expected.txt)
//
// Every wait of chapter 05 can take a deadline. When the deadline passes
// first, the scheduler does not call finalize(): it calls the operation's
// cleanup() (hook 4), which must undo whatever process() registered, and
// throws OperationTimeout at the co_await. Cancellation takes the very same
// path, with Cancelled instead. This chapter uses cogen's own operations
// first, then writes a TimedOperation of its own with a real cleanup().
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>

#include "cogen/cogen.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::Coroutine;
using cogen::Disposition;
using cogen::Timeout;

// Scheduler time in whole milliseconds, for the printouts.
long long ms(std::chrono::nanoseconds t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
}

// Print the scheduler's error reports on stdout, where the test looks.
void print_report(std::string_view report) {
    std::printf("  error_sink: %.*s\n", static_cast<int>(report.size()), report.data());
}

// [step 1] a strong timeout: OperationTimeout at the deadline
//
// WaitForSignal{"name", 500ms} gives up 500ms after it is awaited. The
// exception names the operation that expired, and the operation's cleanup()
// has already taken it off the signal's waiter list: a later Signal finds
// nobody.
void strong_timeout() {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};

    auto patient = [&]() -> Coro<> {
        // Built first, awaited below: its address identifies it in the catch.
        auto wait = cogen::WaitForSignal{"bus", 500ms};
        try {
            co_await wait;
            std::printf("  the bus came\n");
        } catch (const cogen::OperationTimeout& e) {
            std::printf("  t=%lldms %s (the expired op is ours: %s)\n", ms(clock.now()), e.what(),
                        e.op() == &wait ? "yes" : "no");
        }
        // Our waiter left the list in cleanup(), so this wakes nobody.
        const std::size_t woken = co_await cogen::Signal{"bus"};
        std::printf("  t=%lldms a late Signal{\"bus\"} woke %zu\n", ms(clock.now()), woken);
    };
    sched.add(patient());
    sched.run();
}

// [step 2] a default for every wait, and an uncaught timeout
//
// Options::default_timeout applies to every timed operation that has no
// timeout of its own; Timeout::never() opts out. An OperationTimeout nobody
// catches fails that one coroutine, like any exception (chapter 05): it is
// reported, and the others carry on.
void default_timeout() {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.default_timeout = 1s, .clock = &clock, .error_sink = print_report}};

    auto careless = [&]() -> Coro<> {
        co_await cogen::WaitForSignal{"phone"};  // default: 1s
        std::printf("  careless: the phone rang\n");
    };
    // Timeout::never() beats the default: this one waits as long as it takes.
    auto stubborn = [&]() -> Coro<> {
        co_await cogen::WaitForSignal{"phone", Timeout::never()};
        std::printf("  t=%lldms stubborn: the phone rang\n", ms(clock.now()));
    };
    auto caller = [&]() -> Coro<> {
        co_await cogen::Sleep{3s};  // a Sleep's deadline is its purpose, not a timeout
        co_await cogen::Signal{"phone"};
    };
    sched.add(careless(), {.name = "careless"});
    sched.add(stubborn(), {.name = "stubborn"});
    sched.add(caller(), {.name = "caller"});
    sched.run();
}

// [step 3] your own timed operation, with a cleanup()
//
// A switchboard matches replies to requests: a client awaits the reply to
// request #id, and a server delivers the reply in pieces. AwaitReply is a
// cogen::TimedOperation<std::string>:
//   1. process():  the base class's process() arms the deadline; then the op
//                  registers itself in the switchboard and parks;
//   3. finalize(): the assembled reply becomes the value of co_await;
//   4. cleanup():  on timeout or cancellation, instead of finalize(): the op
//                  leaves the switchboard.
// Without cleanup(), the switchboard would keep a pointer to an operation
// whose coroutine has moved on (the op lives in the coroutine's frame), and
// the next piece would be written into memory that is no longer an
// AwaitReply. cleanup() is what makes a timeout safe.
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

// The server side, shared by steps 3 to 5: `pieces` pieces, one every `gap`.
Coro<> serve(Switchboard& board, int id, int pieces, std::chrono::milliseconds gap) {
    for (int i = 1; i <= pieces; ++i) {
        co_await cogen::Sleep{gap};
        board.deliver(id, "piece" + std::to_string(i) + ";", i == pieces);
    }
}

void custom_timed_operation() {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    Switchboard board;

    // A client awaits one reply and reports how it went.
    auto client = [&](int id, std::chrono::milliseconds limit) -> Coro<> {
        try {
            const std::string reply = co_await board.await_reply(id, limit);
            std::printf("  t=%lldms #%d got \"%s\"\n", ms(clock.now()), id, reply.c_str());
        } catch (const cogen::OperationTimeout& e) {
            std::printf("  t=%lldms #%d: %s\n", ms(clock.now()), id, e.what());
        }
    };
    // #1: 2 pieces in 200ms, 500ms allowed. #2: 3 pieces in 300ms, 150ms allowed.
    sched.add(client(1, 500ms), {.name = "client-1"});
    sched.add(serve(board, 1, 2, 100ms), {.name = "server-1"});
    sched.add(client(2, 150ms), {.name = "client-2"});
    sched.add(serve(board, 2, 3, 100ms), {.name = "server-2"});
    sched.run();
}

// [step 4] weak and strong timeouts
//
// A strong timeout (the default) is a deadline: 300ms after the await, done
// or not. A weak timeout, Timeout{300ms, true}, is an inactivity limit: each
// record_progress() restarts the 300ms. The same slow reply, five pieces
// 200ms apart, meets both kinds.
void weak_and_strong() {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    Switchboard board;

    auto client = [&](int id, Timeout limit, const char* kind) -> Coro<> {
        try {
            const std::string reply = co_await board.await_reply(id, limit);
            std::printf("  t=%lldms %s #%d got %zu bytes\n", ms(clock.now()), kind, id,
                        reply.size());
        } catch (const cogen::OperationTimeout& e) {
            std::printf("  t=%lldms %s #%d: %s\n", ms(clock.now()), kind, id, e.what());
        }
    };
    // Timeout{length, weak}: the second member says which kind.
    sched.add(client(3, Timeout{300ms, true}, "weak"), {.name = "weak-client"});
    sched.add(serve(board, 3, 5, 200ms), {.name = "server-3"});
    sched.add(client(4, Timeout{300ms}, "strong"), {.name = "strong-client"});
    sched.add(serve(board, 4, 5, 200ms), {.name = "server-4"});
    sched.run();
}

// [step 5] cancellation takes the cleanup path too
//
// CoroRef::cancel() on a coroutine parked on an operation runs that
// operation's cleanup() at once, then resumes the coroutine with Cancelled
// thrown at its co_await. If the coroutine lets it escape, it ends "killed":
// its locals are destroyed as the exception unwinds, and its joiners receive
// Cancelled. Nothing is reported as an error: cancelling is not failing.
struct Announce {
    const char* text;
    ~Announce() { std::printf("  %s\n", text); }
};

void cancellation() {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock, .error_sink = print_report}};
    Switchboard board;

    auto hopeful = [&]() -> Coro<> {
        Announce bye{"hopeful: local destroyed while Cancelled unwinds"};
        co_await board.await_reply(5);  // nobody will ever answer #5
        std::printf("  hopeful: never printed\n");
    };
    // add() returns the handle the janitor cancels and the watcher joins.
    cogen::CoroRef<> target = sched.add(hopeful(), {.name = "hopeful"});

    auto watcher = [&]() -> Coro<> {
        try {
            co_await cogen::Join{target};
        } catch (const cogen::Cancelled& e) {
            std::printf("  t=%lldms watcher: Join threw Cancelled (\"%s\")\n", ms(clock.now()),
                        e.what());
        }
    };
    auto janitor = [&]() -> Coro<> {
        co_await cogen::Sleep{1s};
        std::printf("  t=%lldms janitor: cancel 'hopeful'\n", ms(clock.now()));
        target.cancel();  // cleanup() runs now; Cancelled is thrown at the co_await
    };
    sched.add(watcher(), {.name = "watcher"});
    sched.add(janitor(), {.name = "janitor"});
    sched.run();
    std::printf("  'hopeful' is %s\n", cogen::to_string(target.state()));
}

// Every step on its own ManualClock and scheduler.
int main() {
    std::printf("--- step 1: a strong timeout ---\n");
    strong_timeout();
    std::printf("--- step 2: default_timeout ---\n");
    default_timeout();
    std::printf("--- step 3: a TimedOperation with cleanup ---\n");
    custom_timed_operation();
    std::printf("--- step 4: weak and strong ---\n");
    weak_and_strong();
    std::printf("--- step 5: cancellation ---\n");
    cancellation();
}
