// Chapter 03: Yielding operations
// Builds on: 02.  New here: process/finalize, cogen::Scheduler, Coro, Yield, OperationOf<T>.
// Run: build/tutorials/03-yielding-operations/tutorial-03   (output: expected.txt)
//
// Chapter 02's tasks could only pass the turn. Here a task co_awaits an
// *operation* object, and the scheduler asks that object what to do:
//   process(sched, task)  called once, right after the task suspends: either
//                         the result is ready now ("complete") or the op puts
//                         the task somewhere to wait ("parked");
//   finalize()            called once, right before the task resumes: its
//                         return value is the value of the co_await.
// Part one builds that protocol into chapter 02's toy scheduler. Part two
// runs the same ideas on libcogen and writes two operations of our own.
#include <coroutine>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cogen/cogen.hpp"

namespace toy {

class Scheduler;
class Task;

// [step 1] the toy protocol: an operation decides, the scheduler obeys
//
// Disposition is the whole vocabulary between an operation and the
// scheduler. cogen uses these very names (cogen/operation.hpp).
enum class Disposition { complete, parked };

// The base class the scheduler sees. It knows nothing about the result type:
// the scheduler never looks at results, it only asks process() what to do.
class Operation {
  public:
    virtual ~Operation() = default;
    // Called once, right after the task suspended on this operation.
    virtual Disposition process(Scheduler& sched, Task& task) = 0;
    // For the printouts: "GetTid", "WaitTask".
    virtual const char* name() const = 0;
};

// The promise remembers which operation its task awaits. The scheduler reads
// it after every resume.
struct Promise;
using Handle = std::coroutine_handle<Promise>;

// Task owns one coroutine frame, exactly like chapter 02's Task. The only
// addition is the tid, which the scheduler assigns in spawn().
class Task {
  public:
    using promise_type = Promise;
    explicit Task(Handle handle) : m_handle(handle) {}
    Task(Task&& other) noexcept : m_handle(std::exchange(other.m_handle, {})) {}
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    Task& operator=(Task&&) = delete;
    ~Task();

    Handle handle() const { return m_handle; }
    int tid = 0;

  private:
    Handle m_handle;
};

// Chapter 02's promise plus one member. Everything else stays: start
// suspended, stay suspended at the end so the Task can destroy the frame.
struct Promise {
    Operation* op = nullptr;  // what the task awaits now

    Task get_return_object() { return Task{Handle::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
};

Task::~Task() {
    if (m_handle) m_handle.destroy();
}

// The awaiter methods live in one base class, written once: a concrete
// operation only says what process() and finalize() do.
template <class T>
class OperationOf : public Operation {
  public:
    // Called once, right before the task resumes: the value of co_await.
    virtual T finalize() = 0;

    // Always suspend: even an operation that can complete at once goes
    // through the scheduler, which is what lets the scheduler see (and
    // later trace) every operation.
    bool await_ready() const noexcept { return false; }
    // The task is suspended now. Leave a note saying what it waits on; the
    // scheduler picks it up as soon as resume() returns.
    void await_suspend(Handle task) noexcept { task.promise().op = this; }
    // The task is being resumed: hand it the operation's result.
    T await_resume() { return finalize(); }
};

// The scheduler: chapter 02's loop plus one new line, the call to process().
class Scheduler {
  public:
    // Take ownership of a new task and queue it. Its body has not run yet.
    int spawn(Task task) {
        auto owned = std::make_unique<Task>(std::move(task));
        owned->tid = ++m_last_tid;
        m_ready.push_back(owned.get());
        m_tasks[owned->tid] = std::move(owned);
        return m_last_tid;
    }

    // The event loop: give the front task its turn, until no task is ready.
    // A parked task is in no queue, so it does not keep the loop alive.
    void run() {
        while (!m_ready.empty()) {
            Task* task = m_ready.front();
            m_ready.pop_front();
            step(*task);
        }
    }

    // For operations: put a task back in the ready queue.
    void schedule(Task& task) { m_ready.push_back(&task); }
    // For WaitTask: park `task` until task `tid` exits. False if it is gone.
    bool wait_for_exit(int tid, Task& task) {
        if (!m_tasks.count(tid)) return false;
        m_exit_waiters[tid].push_back(&task);
        return true;
    }

  private:
    // Resume the task; then process what it awaits. "complete" resumes it
    // again at once; "parked" ends its turn: the op has put it somewhere.
    void step(Task& task) {
        for (;;) {
            task.handle().resume();  // runs the body up to its next co_await
            if (task.handle().done()) return exit(task);
            // The new line of this chapter: ask the operation what to do.
            Operation& op = *task.handle().promise().op;
            const Disposition d = op.process(*this, task);
            std::printf("sched: task %d awaits %s -> %s\n", task.tid, op.name(),
                        d == Disposition::complete ? "complete, resume now" : "parked");
            if (d == Disposition::parked) return;
        }
    }

    // A task ended: wake whoever waits for it (WaitTask), then destroy it.
    void exit(Task& task) {
        const int tid = task.tid;
        std::printf("sched: task %d exits\n", tid);
        for (Task* waiter : m_exit_waiters[tid]) schedule(*waiter);
        m_exit_waiters.erase(tid);
        m_tasks.erase(tid);  // destroys the frame
    }

    std::map<int, std::unique_ptr<Task>> m_tasks;      // every live task, by tid
    std::map<int, std::vector<Task*>> m_exit_waiters;  // tid -> tasks waiting for it
    std::deque<Task*> m_ready;                         // runnable tasks, in order
    int m_last_tid = 0;
};

// [step 2] three toy operations: ready at once, queued, and parked
//
// GetTid is ready at once: process() says complete and finalize() returns the
// answer. PassTurn is chapter 02's pass_turn() as an operation: it queues its
// task at the back itself and reports parked. WaitTask parks the task in the
// scheduler's exit-waiters table; the scheduler queues it again when the
// other task exits, and finalize() runs only then.
class GetTid final : public OperationOf<int> {
  public:
    Disposition process(Scheduler&, Task& task) override {
        m_tid = task.tid;              // the answer is known right away...
        return Disposition::complete;  // ...so the task may continue at once
    }
    int finalize() override { return m_tid; }
    const char* name() const override { return "GetTid"; }

  private:
    int m_tid = 0;
};

class PassTurn final : public OperationOf<void> {
  public:
    Disposition process(Scheduler& sched, Task& task) override {
        sched.schedule(task);        // back of the ready queue, behind the others
        return Disposition::parked;  // "I have put the task somewhere"
    }
    void finalize() override {}  // nothing to return
    const char* name() const override { return "PassTurn"; }
};

class WaitTask final : public OperationOf<bool> {
  public:
    explicit WaitTask(int tid) : m_tid(tid) {}
    Disposition process(Scheduler& sched, Task& task) override {
        // Park in the exit-waiters table, unless the task is already gone:
        // then there is nothing to wait for and the answer is ready now.
        m_waited = sched.wait_for_exit(m_tid, task);
        return m_waited ? Disposition::parked : Disposition::complete;
    }
    bool finalize() override { return m_waited; }
    const char* name() const override { return "WaitTask"; }

  private:
    int m_tid;
    bool m_waited = false;
};

// Two toy programs. They look like chapter 02's tasks, but every co_await
// now names what the task wants.
Task worker(int turns) {
    const int me = co_await GetTid{};
    for (int i = 1; i <= turns; ++i) {
        std::printf("  task %d: turn %d of %d\n", me, i, turns);
        co_await PassTurn{};
    }
}

// The boss asks for its own id, then for the worker's end.
Task boss(int worker_tid) {
    const int me = co_await GetTid{};
    std::printf("  task %d: waiting for task %d\n", me, worker_tid);
    const bool waited = co_await WaitTask{worker_tid};
    std::printf("  task %d: task %d is gone (waited: %s)\n", me, worker_tid, waited ? "yes" : "no");
}

// Task 1 takes two turns; task 2 waits for task 1 to exit.
void run_the_toy() {
    Scheduler sched;
    const int w = sched.spawn(worker(2));
    sched.spawn(boss(w));
    sched.run();
}

}  // namespace toy

// --- Part two: the same protocol, on libcogen --------------------------------

using cogen::Coro;
using cogen::Coroutine;
using cogen::Disposition;

// [step 3] cogen's Scheduler, Coro and Yield
//
// cogen::Coro<T> is the task type, cogen::Scheduler the loop, and
// cogen::Yield{} the pass-the-turn operation (cogen's bare `yield`). add()
// queues a coroutine; run() loops until nothing can make progress.
Coro<> counter(const char* name, int turns) {
    for (int i = 1; i <= turns; ++i) {
        std::printf("  %s: turn %d of %d\n", name, i, turns);
        co_await cogen::Yield{};  // Yield::process queues us at the back: parked
    }
}

void run_on_cogen() {
    cogen::Scheduler sched;
    // The name is for traces, error reports and the visualizer; without one a
    // coroutine is called "coro-<id>".
    sched.add(counter("foo", 3), {.name = "foo"});
    sched.add(counter("bar", 2), {.name = "bar"});
    sched.run();  // returns when nothing is runnable and nothing is waiting
    std::printf("still alive after run(): %zu\n", sched.alive());
}

// [step 4] your own operation: ready at once
//
// A cogen operation derives from cogen::OperationOf<T>, where T is what
// co_await yields. It overrides process() (hook 1), finalize() (hook 3) and
// name(). The awaiter plumbing is inherited: like the toy, it tells the
// scheduler which op the coroutine awaits, and nothing else.
class WhoAmI final : public cogen::OperationOf<std::string> {
  public:
    // 1. process: the answer is known at once. The Coroutine is the
    //    scheduler's record of the awaiting coroutine: id, name, state.
    Disposition process(cogen::SchedulerCore&, Coroutine& coro) override {
        m_answer = coro.name() + " (id " + std::to_string(coro.id()) + ")";
        return Disposition::complete;
    }
    // 2. run() is for I/O operations (chapter 06): the default is fine here.
    // 3. finalize: the value of co_await. Moving out is fine: it runs once.
    std::string finalize(cogen::SchedulerCore&) override { return std::move(m_answer); }
    // 4. cleanup() undoes a registration on timeout (chapter 08): nothing
    //    was registered, so the default (do nothing) is right.
    // A string literal: traces keep the name by reference.
    std::string_view name() const override { return "WhoAmI"; }

  private:
    std::string m_answer;
};

// [step 5] your own operation: park, and be woken by another one
//
// A one-letter mailbox. Receive completes at once when a letter is already
// there; otherwise it parks: it leaves a pointer to itself in the mailbox and
// returns parked, and the scheduler forgets about the coroutine. Post finds
// the parked Receive, hands it the letter and calls sched.schedule(), which
// puts the receiver back in the active queue; when the receiver's turn comes,
// the scheduler calls Receive::finalize() and resumes it with the letter.
//
// Each hook prints a line, so the output shows the order of the protocol.
class Mailbox {
  public:
    class Receive;  // co_await box.receive() yields the next letter
    class Post;     // co_await box.post(letter) delivers one
    Receive receive();
    Post post(std::string letter);

  private:
    std::optional<std::string> m_letter;  // a letter nobody has read yet
    Receive* m_reader = nullptr;          // a parked Receive
};

class Mailbox::Receive final : public cogen::OperationOf<std::string> {
  public:
    explicit Receive(Mailbox& box) : m_box(&box) {}

    // 1. A letter is waiting: complete. Empty box: park in it.
    Disposition process(cogen::SchedulerCore&, Coroutine& coro) override {
        // The fast path: no waiting, the coroutine continues in this same step.
        if (m_box->m_letter) {
            m_letter = std::exchange(m_box->m_letter, std::nullopt).value();
            std::printf("    Receive::process  [%s] a letter is waiting: complete\n",
                        coro.name().c_str());
            return Disposition::complete;
        }
        // The slow path: the mailbox keeps a pointer to this op, which lives
        // in the reader's coroutine frame, until Post takes it out again. (An
        // op that can time out or be cancelled must also take it out in
        // cleanup(): chapter 08 shows why.)
        m_box->m_reader = this;
        std::printf("    Receive::process  [%s] empty mailbox: parked\n", coro.name().c_str());
        return Disposition::parked;
    }
    // 3. The letter becomes the value of co_await. coroutine() is the
    //    awaiting coroutine, known to every op from process() on.
    std::string finalize(cogen::SchedulerCore&) override {
        std::printf("    Receive::finalize [%s] returns \"%s\"\n", coroutine()->name().c_str(),
                    m_letter.c_str());
        return std::move(m_letter);
    }
    std::string_view name() const override { return "Receive"; }
    // What the trace and the visualizer show for a parked Receive.
    cogen::Outcome waits_on() const noexcept override { return cogen::Outcome::other; }

    // Called by Post while this op is parked.
    void deliver(std::string letter) { m_letter = std::move(letter); }

  private:
    Mailbox* m_box;
    std::string m_letter;
};

class Mailbox::Post final : public cogen::OperationOf<void> {
  public:
    Post(Mailbox& box, std::string letter) : m_box(&box), m_letter(std::move(letter)) {}

    // 1. Wake a parked reader, or leave the letter in the box. Either way the
    //    poster continues at once: complete.
    Disposition process(cogen::SchedulerCore& sched, Coroutine& coro) override {
        if (Receive* reader = std::exchange(m_box->m_reader, nullptr)) {
            // Hand the letter over first, then make the reader runnable:
            // schedule() queues its coroutine (at the back), and the
            // scheduler will call reader->finalize() right before resuming it.
            reader->deliver(std::move(m_letter));
            std::printf("    Post::process     [%s] wakes %s: schedule it, complete\n",
                        coro.name().c_str(), reader->coroutine()->name().c_str());
            sched.schedule(*reader, cogen::Placement::back, cogen::Outcome::other, coro.id());
        } else {
            // Nobody waits: keep the letter for the next Receive.
            m_box->m_letter = std::move(m_letter);
            std::printf(
                "    Post::process     [%s] nobody waits: letter left in the box, "
                "complete\n",
                coro.name().c_str());
        }
        return Disposition::complete;
    }
    // 3. finalize(): OperationOf<void> needs none.
    std::string_view name() const override { return "Post"; }

  private:
    Mailbox* m_box;
    std::string m_letter;
};

// The mailbox's methods just build operations; nothing happens until the
// caller co_awaits them (cogen's sockets work the same way).
Mailbox::Receive Mailbox::receive() {
    return Receive{*this};
}
Mailbox::Post Mailbox::post(std::string letter) {
    return Post{*this, std::move(letter)};
}

void run_custom_operations() {
    cogen::Scheduler sched;
    Mailbox box;

    // Coroutine lambdas are named and outlive the run: the frame refers to
    // the lambda object, so a temporary lambda would dangle.
    auto reader = [&]() -> Coro<> {
        const std::string me = co_await WhoAmI{};
        std::printf("  %s: checking the mailbox\n", me.c_str());
        // The first receive finds an empty mailbox and parks; the second
        // finds the letter the writer left, and completes at once.
        std::string first = co_await box.receive();
        std::printf("  reader: got \"%s\"\n", first.c_str());
        std::string second = co_await box.receive();
        std::printf("  reader: got \"%s\"\n", second.c_str());
    };
    // Post never waits, so the writer runs from start to end in one turn.
    auto writer = [&]() -> Coro<> {
        std::printf("  writer: posting \"hello\"\n");
        co_await box.post("hello");
        std::printf("  writer: posting \"world\"\n");
        co_await box.post("world");
        std::printf("  writer: done\n");
    };
    // The reader is added first, so it reaches the mailbox first and parks.
    sched.add(reader(), {.name = "reader"});
    sched.add(writer(), {.name = "writer"});
    sched.run();
}

// Each part runs on a scheduler of its own; the output is in expected.txt.
int main() {
    std::printf("--- step 2: the toy scheduler with operations ---\n");
    toy::run_the_toy();
    std::printf("--- step 3: the same loop on cogen ---\n");
    run_on_cogen();
    std::printf("--- steps 4 and 5: operations of our own ---\n");
    run_custom_operations();
}
