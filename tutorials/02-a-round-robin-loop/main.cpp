// Chapter 02: A round-robin loop
// Builds on: 01.  New here: a Task coroutine type, a ready queue, the loop that resumes in turn.
// Run: build/tutorials/02-a-round-robin-loop/tutorial-02   (output: expected.txt)
//
// Still no cogen. In the spirit of David Beazley's pyos, this program writes the smallest
// scheduler that runs several coroutines at once: a queue of tasks and a loop that resumes
// the one at the front, then puts it at the back. Every later chapter keeps this loop and
// only adds to it.
#include <coroutine>
#include <cstdarg>
#include <cstdio>
#include <deque>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include <vector>

#include "tutorial/mode.hpp"

// Every line of the story goes through say(): printed in the plain run, recorded for --check
// (which prints the lines that answer the README's questions, and nothing else).
std::vector<std::string>* g_record = nullptr;

[[gnu::format(printf, 1, 2)]] void say(const char* format, ...) {
    char line[256];
    va_list args;
    va_start(args, format);
    std::vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (g_record)
        g_record->push_back(line);
    else
        std::fputs(line, stdout);
}

// [step 1] a task: a coroutine that gives the CPU back by suspending
//
// Task is chapter 01's coroutine type with everything else removed: it starts suspended, it
// keeps an escaping exception, and it owns its frame. A task gives up the CPU with
// `co_await pass_turn()`: std::suspend_always suspends unconditionally, and whoever resumed
// the task gets control back.
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

// The only thing a task can ask for in this chapter: "let the others run". The loop does not
// even know it was asked; it just sees the task suspend, and that is enough for round robin.
std::suspend_always pass_turn() {
    return {};
}

// [step 2] the loop: a ready queue, and resume the front
//
// The scheduler owns every task (and so every frame). spawn() puts a task at the back of the
// ready queue. run() is the whole event loop: take the task at the front, resume it until it
// suspends, and put it back at the end of the queue unless it finished. A task never resumes
// another task: every suspension returns to run(), which picks who goes next, so the stack
// never grows however many turns the tasks take (a *trampoline*; cogen's loop is one too).
class Scheduler {
  public:
    // Queue a new task at the back. Nothing runs until run() is called.
    void spawn(std::string name, Task task) {
        m_ready.push_back(std::make_unique<Entry>(Entry{std::move(name), std::move(task)}));
    }

    // The event loop. It ends when the queue is empty: every task finished. Returns how many
    // times it resumed a task.
    int run() {
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
            if (std::exception_ptr error = current->task.error())
                say("loop: '%s' failed: %s\n", current->name.c_str(), what(error).c_str());
            else
                say("loop: '%s' finished\n", current->name.c_str());
            // `current` goes out of scope here: the Task destroys the frame.
        }
        say("loop: queue empty after %d resumes\n", resumes);
        return resumes;
    }

  private:
    struct Entry {
        std::string name;  // for the printouts
        Task task;         // owns the frame
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
};

// [step 3] two tasks take turns
//
// Each task prints one line per turn and passes the turn.
Task counter(const char* name, int turns) {
    for (int i = 1; i <= turns; ++i) {
        say("  %s: turn %d of %d\n", name, i, turns);
        co_await pass_turn();
    }
}

// A task that fails on its second turn. The loop reports the exception and carries on with
// the others: one task's error is not the program's.
Task crasher() {
    say("  crasher: first turn, all fine\n");
    co_await pass_turn();
    say("  crasher: second turn, about to throw\n");
    throw std::runtime_error("disk on fire");
}

int take_turns() {
    Scheduler sched;
    sched.spawn("foo", counter("foo", 3));
    sched.spawn("bar", counter("bar", 2));
    return sched.run();
}

int finish_and_fail() {
    Scheduler sched;
    sched.spawn("long", counter("long", 4));
    sched.spawn("short", counter("short", 1));
    sched.spawn("crasher", crasher());
    return sched.run();
}

void story() {
    std::printf("--- step 3: two tasks take turns ---\n");
    take_turns();
    std::printf("--- step 4: one task finishes early, one fails ---\n");
    finish_and_fail();
}

// --check: run each part again with its lines recorded.
std::vector<std::string> lines_of(int (*part)(), int& resumes) {
    std::vector<std::string> lines;
    g_record = &lines;
    resumes = part();
    g_record = nullptr;
    return lines;
}

void check() {
    int resumes = 0;
    std::vector<std::string> lines = lines_of(take_turns, resumes);
    std::printf("P1: step 3, who finishes first, and the last three lines:\n");
    for (std::size_t i = lines.size() - 3; i < lines.size(); ++i)
        std::printf("  %s", lines[i].c_str());
    std::printf("P2: step 3 took %d resumes (5 turns + 1 per task to find its end)\n", resumes);
    lines = lines_of(finish_and_fail, resumes);
    std::printf("P3: step 4, in order:\n");
    for (const std::string& line : lines) std::printf("  %s", line.c_str());
}

int main(int argc, char** argv) {
    return cogen::tutorial::run_plain(
        {.number = 2, .title = "A round-robin loop", .story = story, .check = check}, argc, argv);
}
