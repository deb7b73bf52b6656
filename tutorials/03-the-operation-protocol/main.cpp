// Chapter 03: The operation protocol
// Builds on: 02.  New here: Scheduler, Coro, Yield, OperationOf<T>, parked, the start round.
// Run: build/tutorials/03-the-operation-protocol/tutorial-03   (output: expected.txt)
//
// Also new: the five phases of one loop iteration (pick, resume, process, poll, timers), and
// the forgotten co_await (an operation that is never awaited never happens).
//
// Chapter 02's tasks could only pass the turn. Here a coroutine co_awaits an *operation*, and
// the scheduler asks that object what to do:
//   process(sched, coro)  once, right after the coroutine suspends: the result is ready now
//                         (complete: the coroutine goes on at once), or the op puts the
//                         coroutine somewhere to wait (parked: somebody else wakes it);
//   finalize(sched)       once, right before the coroutine resumes: the value of co_await.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "cogen/cogen.hpp"
#include "tutorial/chapter.hpp"

using cogen::Coro;
using cogen::Coroutine;
using cogen::Disposition;
using cogen::tutorial::Stage;

// [step 1] an operation that is ready at once
//
// A cogen operation derives from cogen::OperationOf<T>, where T is what co_await gives back.
// It overrides process() and finalize(); the awaiter plumbing of chapter 01 is inherited.
// WhoAmI knows its answer as soon as it sees the coroutine: complete.
class WhoAmI final : public cogen::OperationOf<std::string> {
  public:
    // The Coroutine is the scheduler's record of the awaiting coroutine: id, name, state.
    Disposition process(cogen::SchedulerCore&, Coroutine& coro) override {
        m_answer = coro.name() + " (id " + std::to_string(coro.id()) + ")";
        return Disposition::complete;
    }
    // The value of co_await. Moving out is fine: finalize runs once.
    std::string finalize(cogen::SchedulerCore&) override { return std::move(m_answer); }
    // A string literal: traces keep the name by reference.
    std::string_view name() const override { return "WhoAmI"; }

  private:
    std::string m_answer;
};

Coro<> asker(const char* name) {
    std::printf("  %s: who am I?\n", name);
    const std::string me = co_await WhoAmI{};
    std::printf("  %s: I am %s\n", name, me.c_str());
    const std::string again = co_await WhoAmI{};
    std::printf("  %s: still %s\n", name, again.c_str());
}

void ready_at_once(Stage& stage) {
    stage.sched.add(asker("ann"), {.name = "ann"});
    stage.sched.add(asker("bob"), {.name = "bob"});
}

// [step 2] an operation that parks, and the one that wakes it
//
// A one-letter mailbox. Receive completes at once when a letter is waiting; otherwise it
// leaves a pointer to itself in the mailbox and returns parked: the scheduler forgets the
// coroutine (it is in no queue). Post finds the parked Receive, hands it the letter and calls
// sched.schedule(), which puts the reader at the back of the active queue; when the reader's
// turn comes, the scheduler calls Receive::finalize() and resumes it with the letter.
// Each hook prints a line, so the output shows the order of the protocol.
class Mailbox {
  public:
    class Receive;
    class Post;
    Receive receive();
    Post post(std::string letter);

  private:
    std::optional<std::string> m_letter;  // a letter nobody has read yet
    Receive* m_reader = nullptr;          // a parked Receive
};

class Mailbox::Receive final : public cogen::OperationOf<std::string> {
  public:
    explicit Receive(Mailbox& box) : m_box(&box) {}

    Disposition process(cogen::SchedulerCore&, Coroutine& coro) override {
        if (m_box->m_letter) {  // the fast path: the coroutine goes on in this same step
            m_letter = std::exchange(m_box->m_letter, std::nullopt).value();
            std::printf("    Receive::process  [%s] a letter is waiting: complete\n",
                        coro.name().c_str());
            return Disposition::complete;
        }
        // The slow path: the mailbox keeps a pointer to this op (it lives in the reader's
        // frame) until Post takes it out again.
        m_box->m_reader = this;
        std::printf("    Receive::process  [%s] empty mailbox: parked\n", coro.name().c_str());
        return Disposition::parked;
    }
    std::string finalize(cogen::SchedulerCore&) override {
        std::printf("    Receive::finalize [%s] returns \"%s\"\n", coroutine()->name().c_str(),
                    m_letter.c_str());
        return std::move(m_letter);
    }
    std::string_view name() const override { return "Receive"; }
    // What the trace and the visualizer call this wait.
    cogen::Outcome waits_on() const noexcept override { return cogen::Outcome::other; }

    void deliver(std::string letter) { m_letter = std::move(letter); }

  private:
    Mailbox* m_box;
    std::string m_letter;
};

class Mailbox::Post final : public cogen::OperationOf<void> {
  public:
    Post(Mailbox& box, std::string letter) : m_box(&box), m_letter(std::move(letter)) {}

    // Wake a parked reader, or leave the letter in the box. Either way the poster goes on at
    // once: complete.
    Disposition process(cogen::SchedulerCore& sched, Coroutine& coro) override {
        if (Receive* reader = std::exchange(m_box->m_reader, nullptr)) {
            reader->deliver(std::move(m_letter));
            std::printf("    Post::process     [%s] wakes %s: schedule it, complete\n",
                        coro.name().c_str(), reader->coroutine()->name().c_str());
            sched.schedule(*reader, cogen::Placement::back, cogen::Outcome::other, coro.id());
        } else {
            m_box->m_letter = std::move(m_letter);
            std::printf(
                "    Post::process     [%s] nobody waits: letter left in the box, "
                "complete\n",
                coro.name().c_str());
        }
        return Disposition::complete;
    }
    std::string_view name() const override { return "Post"; }

  private:
    Mailbox* m_box;
    std::string m_letter;
};

// The mailbox's methods only build operations; nothing happens until they are co_awaited.
Mailbox::Receive Mailbox::receive() {
    return Receive{*this};
}
Mailbox::Post Mailbox::post(std::string letter) {
    return Post{*this, std::move(letter)};
}

Coro<> reader(std::shared_ptr<Mailbox> box) {
    std::printf("  reader: checking the mailbox\n");
    const std::string first = co_await box->receive();
    std::printf("  reader: got \"%s\"\n", first.c_str());
    const std::string second = co_await box->receive();
    std::printf("  reader: got \"%s\"\n", second.c_str());
}

Coro<> writer(std::shared_ptr<Mailbox> box) {
    std::printf("  writer: posting \"hello\"\n");
    co_await box->post("hello");
    std::printf("  writer: posting \"world\"\n");
    co_await box->post("world");
    std::printf("  writer: done\n");
}

// A scene may be played more than once per process: its state is made by its setup.
void parked_and_woken(Stage& stage) {
    auto box = std::make_shared<Mailbox>();
    stage.sched.add(reader(box), {.name = "reader"});
    stage.sched.add(writer(box), {.name = "writer"});
}

// [step 3] the start round: a new coroutine is queued before it runs
//
// sched.add() (usable while the loop runs) puts a new coroutine at the back of the active
// queue. When the loop first picks it, it does not run its body: that turn only makes its
// frame ready and sends it to the back of the queue again, exactly like a Yield (if anything
// else is runnable). Its first line runs on its *second* turn.
Coro<> guest() {
    std::printf("  guest: my first line\n");
    co_return;
}

Coro<> host(cogen::Scheduler& sched) {
    std::printf("  host: adding guest, then Yield\n");
    sched.add(guest(), {.name = "guest"});
    co_await cogen::Yield{};
    std::printf("  host: back from Yield\n");
    co_await cogen::Yield{};
    std::printf("  host: back from the second Yield\n");
}

void start_round(Stage& stage) {
    stage.sched.add(host(stage.sched), {.name = "host"});
}

// The --pick scene: a Yield against a ready-at-once op.
Coro<> yielder() {
    std::printf("  ann: before Yield\n");
    co_await cogen::Yield{};
    std::printf("  ann: after Yield\n");
}

Coro<> quick() {
    std::printf("  bob: before WhoAmI\n");
    const std::string me = co_await WhoAmI{};
    std::printf("  bob: after WhoAmI, I am %s\n", me.c_str());
}

void yield_against_ready(Stage& stage) {
    stage.sched.add(yielder(), {.name = "ann"});
    stage.sched.add(quick(), {.name = "bob"});
}

// [step 4] one loop iteration: pick, resume, process, poll, timers
//
// Every claim of this chapter is checked on the trace, and a wrong one fails --check.
// [step 5] the forgotten co_await
//
// Step 2's writer with one co_await missing. box->post("hello") only builds a Post (see
// Mailbox::post above); without co_await nobody hands it to the scheduler, so its process()
// never runs and the object is destroyed at the end of the statement. The letter "hello" is
// lost, and the compiler says nothing: Mailbox::Post is not marked [[nodiscard]], unlike
// every operation cogen ships (README, step 5, and exercise 5).
Coro<> forgetful_writer(std::shared_ptr<Mailbox> box) {
    std::printf("  writer: posting \"hello\"\n");
    box->post("hello");  // the bug: co_await is missing
    std::printf("  writer: posting \"world\"\n");
    co_await box->post("world");
    std::printf("  writer: done\n");
}

void forgotten_co_await(Stage& stage) {
    auto box = std::make_shared<Mailbox>();
    stage.sched.add(reader(box), {.name = "reader"});
    stage.sched.add(forgetful_writer(box), {.name = "writer"});
}

// Once the loop has ended: who never finished?
void who_is_left(Stage& stage) {
    std::printf("  the loop has ended; coroutines still alive: %zu\n", stage.sched.alive());
}

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    using cogen::EventKind;
    Chapter chapter{
        .number = 3,
        .title = "The operation protocol",
        .scenes =
            {
                {.title = "step 1: ready at once", .setup = ready_at_once},
                {.title = "step 2: parked, and woken by another", .setup = parked_and_woken},
                {.title = "step 3: the start round", .setup = start_round},
                {.title = "step 5: the forgotten co_await",
                 .setup = forgotten_co_await,
                 .after = who_is_left},
                {.title = "exercise: a Yield against a ready-at-once op",
                 .setup = yield_against_ready},
            },
        // The moment: the reader's Receive parks. --watch opens the visualizer right after
        // it: the reader's token has left the active queue; only the writer is runnable.
        .moment = {.name = "the first op that parks",
                   .scene = 1,
                   .when = match::op_process("reader", "Receive", cogen::Outcome::other)},
        .view = "diagram",
        .check =
            [](const Run& run) {
                auto print = [&](std::size_t scene, const EventMatch& m) {
                    for (const std::string& line : run.trace(scene).lines(m))
                        std::printf("  %s\n", line.c_str());
                };
                auto resumes_and_processes = [](const Event& e) {
                    return e.is(EventKind::coro_resume) || e.is(EventKind::op_process);
                };
                // Claim of step 1: after a ready-at-once op.process, the next resume is the
                // same coroutine's (nobody else runs in between).
                const auto events = run.trace(0).events();
                for (std::size_t i = 0; i < events.size(); ++i) {
                    if (!events[i].is(EventKind::op_process) || events[i].raw.a != 0) continue;
                    for (std::size_t j = i + 1; j < events.size(); ++j)
                        if (events[j].is(EventKind::coro_resume)) {
                            if (events[j].coro != events[i].coro)
                                claim_failed(3,
                                             "a ready-at-once op resumes its own coroutine next");
                            break;
                        }
                }
                std::printf(
                    "P1: step 1, every op is ready at once (ready), and each coroutine "
                    "goes on before the next one starts:\n");
                print(0, resumes_and_processes);

                std::printf(
                    "P2: step 2, the reader parks; Post schedules it at the back, "
                    "and the writer goes on:\n");
                print(1, [](const Event& e) {
                    return e.is(EventKind::op_process) || e.is(EventKind::op_ready) ||
                           e.is(EventKind::op_finalize);
                });

                // Claim of step 3: the guest's first turn is a start round, and its first
                // line (its first real resume) comes after the host's resume from Yield.
                const SceneTrace& s3 = run.trace(2);
                std::printf("P3: step 3, the active queue around the guest's first turn:\n");
                print(2, [](const Event& e) {
                    return e.is(EventKind::sched_active) || e.is(EventKind::op_process);
                });
                std::uint64_t host_back = 0, guest_runs = 0;
                for (const Event& e : s3.events()) {
                    if (!e.is(EventKind::coro_resume)) continue;
                    if (e.coro == "host" && e.raw.op != 0 && host_back == 0) host_back = e.raw.seq;
                    if (e.coro == "guest" && guest_runs == 0) guest_runs = e.raw.seq;
                }
                if (host_back == 0 || guest_runs == 0 || guest_runs < host_back)
                    claim_failed(3, "the guest's first line comes after the host's first Yield");

                std::printf(
                    "P4: step 2 took %zu resumes and %zu op.process calls; the loop "
                    "never polled (%zu proactor polls) and no timer fired (%zu)\n",
                    run.trace(1).count(match::kind(EventKind::coro_resume)),
                    run.trace(1).count(match::kind(EventKind::op_process)),
                    run.trace(1).count(match::kind(EventKind::proactor_poll_begin)),
                    run.trace(1).count(match::kind(EventKind::timer_fire)));

                // Claims of step 5: the writer built two Posts, but only one reached
                // process() (the forgotten one never got an op id, so the trace cannot even
                // name it); and the reader never finished: its second Receive waits forever.
                const SceneTrace& s5 = run.trace(3);
                const std::size_t posts = s5.count(match::op_process("writer", "Post"));
                const std::size_t reader_done =
                    s5.count(match::kind(EventKind::coro_finish, "reader"));
                if (posts != 1) claim_failed(3, "the forgotten Post is never processed");
                if (reader_done != 0) claim_failed(3, "the reader waits forever in step 5");
                std::printf(
                    "P5: step 5, every op.process; the writer's first Post has none (and no "
                    "op number):\n");
                print(3, match::kind(EventKind::op_process));
                std::printf(
                    "P5: %zu Post processed (step 2: %zu), so \"hello\" was never posted; "
                    "%zu coro.finish for the reader: its second Receive stays parked\n",
                    posts, run.trace(1).count(match::op_process("writer", "Post")), reader_done);
            },
        .pick_scene = 4,
        .pick_runs = 2,
    };
    return run(chapter, argc, argv);
}
