// Chapter 02: A round-robin scheduler
// Builds on: 01.  New here: a Task coroutine type, a ready queue, the scheduler's loop.
// Run: build/tutorials/02-a-round-robin-scheduler/tutorial-02   (output: expected.txt)
//
// Still no cogen. In the spirit of David Beazley's pyos, this program writes
// the smallest scheduler that can run several coroutines at once: a queue of
// tasks and a loop that resumes the one at the front, then puts it at the
// back. Every later chapter keeps this loop and only adds to it.
#include <coroutine>
#include <cstdio>
#include <deque>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

// [step 1] a task: a coroutine that gives the CPU back by suspending
//
// Task is chapter 01's coroutine type with everything else removed: it starts
// suspended, it keeps an escaping exception, and it owns its frame. A task
// gives up the CPU with `co_await pass_turn()`: std::suspend_always suspends
// unconditionally, and whoever resumed the task gets control back.
class Task {
  public:
    struct promise_type {
        std::exception_ptr error;  // set if the body throws; run() reports it

        Task get_return_object() {
            return Task{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { error = std::current_exception(); }
    };

    // Move-only: exactly one Task owns a frame, and destroys it.
    Task(Task&& other) noexcept : m_handle(std::exchange(other.m_handle, {})) {}
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    Task& operator=(Task&&) = delete;
    ~Task() {
        if (m_handle) m_handle.destroy();
    }

    // Run the body until it suspends again (or ends).
    void resume() { m_handle.resume(); }
    bool done() const { return m_handle.done(); }
    std::exception_ptr error() const { return m_handle.promise().error; }

  private:
    explicit Task(std::coroutine_handle<promise_type> handle) : m_handle(handle) {}
    std::coroutine_handle<promise_type> m_handle;
};

// The only thing a task can ask for in this chapter: "let the others run".
// The scheduler does not even know it was asked; it just sees the task
// suspend, and that is enough for round robin.
std::suspend_always pass_turn() {
    return {};
}

// [step 2] the scheduler: a ready queue and one loop
//
// The scheduler owns every task (and so every frame). spawn() gives a task an
// id and puts it at the back of the ready queue. run() is the whole event
// loop: take the task at the front, resume it until it suspends, and put it
// back at the end of the queue unless it finished.
//
// Note what never happens: a task never resumes another task. Every
// suspension returns to run(), and run() picks who goes next. The stack never
// grows, however many turns the tasks take. (cogen's scheduler works the same
// way, and for the same reason: it is a trampoline.)
class Scheduler {
  public:
    // Queue a new task at the back. Nothing runs until run() is called.
    int spawn(std::string name, Task task) {
        const int tid = ++m_last_tid;
        m_ready.push_back(std::make_unique<Entry>(Entry{tid, std::move(name), std::move(task)}));
        std::printf("scheduler: spawned task %d '%s'\n", tid, m_ready.back()->name.c_str());
        return tid;
    }

    // The event loop. It ends when the queue is empty: every task finished.
    void run() {
        int resumes = 0;
        while (!m_ready.empty()) {
            std::unique_ptr<Entry> current = std::move(m_ready.front());
            m_ready.pop_front();
            ++resumes;
            current->task.resume();  // runs the task until its next co_await
            if (!current->task.done()) {
                m_ready.push_back(std::move(current));  // round robin: back of the queue
                continue;
            }
            // [step 4] a task that ends leaves the queue, and so does one that fails
            if (std::exception_ptr error = current->task.error()) {
                std::printf("scheduler: task %d '%s' failed: %s\n", current->tid,
                            current->name.c_str(), what(error).c_str());
            } else {
                std::printf("scheduler: task %d '%s' finished\n", current->tid,
                            current->name.c_str());
            }
            // `current` goes out of scope here: the Task destroys the frame.
        }
        std::printf("scheduler: nothing left to run after %d resumes\n", resumes);
    }

  private:
    // What the scheduler knows about a task: an id, a name for the printouts,
    // and the Task that owns the frame.
    struct Entry {
        int tid;
        std::string name;
        Task task;
    };

    // The message of a stored exception.
    static std::string what(const std::exception_ptr& error) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            return e.what();
        } catch (...) {
            return "unknown exception";
        }
    }

    std::deque<std::unique_ptr<Entry>> m_ready;  // front: runs next
    int m_last_tid = 0;
};

// [step 3] two tasks take turns
//
// Each task prints one line per turn and passes the turn. With a queue of
// [foo, bar] the loop alternates between them until one runs out of turns.
Task counter(const char* name, int turns) {
    for (int i = 1; i <= turns; ++i) {
        std::printf("  %s: turn %d of %d\n", name, i, turns);
        co_await pass_turn();
    }
}

// A task that fails on its second turn. The scheduler reports the exception
// and carries on with the others: one task's error is not the program's.
Task crasher() {
    std::printf("  crasher: first turn, all fine\n");
    co_await pass_turn();  // takes a turn like everybody else first
    std::printf("  crasher: second turn, about to throw\n");
    throw std::runtime_error("disk on fire");
}

// Two runs, each on a fresh scheduler.
int main() {
    std::printf("--- step 3: two tasks take turns ---\n");
    {
        Scheduler sched;
        sched.spawn("foo", counter("foo", 3));
        sched.spawn("bar", counter("bar", 2));
        sched.run();
    }
    std::printf("--- step 4: one task finishes early, one fails ---\n");
    {
        Scheduler sched;
        sched.spawn("long", counter("long", 4));
        sched.spawn("short", counter("short", 1));
        sched.spawn("crasher", crasher());
        sched.run();
    }
}
