// Chapter 01: A function that can pause
// Builds on: nothing.  New here: a C++20 coroutine, co_yield (values out), co_await (both ways).
// Run: build/tutorials/01-a-function-that-can-pause/tutorial-01   (output: expected.txt)
//
// No cogen yet, no library: only <coroutine>. A coroutine is a function that can stop in the
// middle, hand control back to whoever resumed it, and later go on from that very spot with
// its locals intact. Read steps 1 and 2 first (the idea, the order of the prints); the
// plumbing that makes them work is step 3, right below this comment because C++ wants types
// declared before use.
#include <coroutine>
#include <cstdarg>
#include <cstdio>
#include <exception>
#include <optional>
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
        std::printf("%s\n", line);
}

// [step 3] the plumbing: a promise, a handle, an awaiter
//
// A function is a coroutine as soon as its body says co_yield, co_await or co_return. The
// compiler then builds a *frame* on the heap (the locals, and where the body stopped) and
// looks in the return type for a nested `promise_type`: an object inside the frame that
// answers the compiler's questions. The return object keeps a coroutine_handle, the one way
// to resume (or destroy) the frame from outside.
int g_resumes = 0;  // how many times next() resumed a generator's body (P3)

template <class T>
class Generator {
  public:
    struct promise_type {
        std::optional<T> current;  // the value the body just yielded
        std::exception_ptr error;  // an exception that escaped the body

        Generator get_return_object() {
            return Generator{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        // Suspend before the first line of the body: calling the function only builds the
        // frame. Nothing runs until somebody resumes it.
        std::suspend_always initial_suspend() noexcept { return {}; }
        // Suspend after the last line too, so the frame stays alive until its owner (the
        // Generator) destroys it.
        std::suspend_always final_suspend() noexcept { return {}; }
        // `co_yield v` is `co_await promise.yield_value(v)`: keep the value, then suspend so
        // the caller can pick it up.
        std::suspend_always yield_value(T value) {
            current = std::move(value);
            return {};
        }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { error = std::current_exception(); }
    };

    Generator(Generator&& other) noexcept : m_handle(std::exchange(other.m_handle, {})) {}
    Generator(const Generator&) = delete;
    Generator& operator=(const Generator&) = delete;
    Generator& operator=(Generator&&) = delete;
    // The Generator owns the frame: destroying it destroys the frame, even in the middle of
    // the body (step 4 shows what that does to the locals).
    ~Generator() {
        if (m_handle) m_handle.destroy();
    }

    // Pull one value: resume the body until its next co_yield, or its end.
    std::optional<T> next() {
        if (m_handle.done()) return std::nullopt;
        ++g_resumes;
        m_handle.resume();
        if (m_handle.promise().error) std::rethrow_exception(m_handle.promise().error);
        if (m_handle.done()) return std::nullopt;
        return std::exchange(m_handle.promise().current, std::nullopt);
    }

  private:
    explicit Generator(std::coroutine_handle<promise_type> handle) : m_handle(handle) {}
    std::coroutine_handle<promise_type> m_handle;
};

// The coroutine type of step 2: the same promise, minus yield_value, plus two slots the
// awaiter and the driver use to talk.
class Conversation {
  public:
    struct promise_type {
        const char* question = nullptr;  // set by Ask::await_suspend
        std::string answer;              // set by the driver before it resumes

        Conversation get_return_object() {
            return Conversation{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { std::terminate(); }
    };

    Conversation(Conversation&& other) noexcept : m_handle(std::exchange(other.m_handle, {})) {}
    Conversation(const Conversation&) = delete;
    Conversation& operator=(const Conversation&) = delete;
    Conversation& operator=(Conversation&&) = delete;
    ~Conversation() {
        if (m_handle) m_handle.destroy();
    }

    std::coroutine_handle<promise_type> handle() const { return m_handle; }

  private:
    explicit Conversation(std::coroutine_handle<promise_type> handle) : m_handle(handle) {}
    std::coroutine_handle<promise_type> m_handle;
};

// An *awaiter*: the object co_await talks to. Three methods, called in this order:
//   await_ready()    false: always suspend, somebody else must answer;
//   await_suspend()  the body is suspended now: leave the question in the promise;
//   await_resume()   the body is being resumed: the value of the whole co_await.
class Ask {
  public:
    explicit Ask(const char* question) : m_question(question) {}

    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<Conversation::promise_type> self) noexcept {
        m_self = self;  // remember who asked, to find the answer later
        self.promise().question = m_question;
    }
    std::string await_resume() const { return std::move(m_self.promise().answer); }

  private:
    const char* m_question;
    std::coroutine_handle<Conversation::promise_type> m_self;
};

// [step 1] a function that pauses: co_yield hands a value out
//
// The body's lines are indented, main's are not: the output shows who runs when. The body
// runs only inside next(), from where it stopped to its next co_yield.
Generator<int> count_to(int last) {
    say("  count_to: body starts");
    for (int i = 1; i <= last; ++i) {
        say("  count_to: co_yield %d", i);
        co_yield i;
    }
    say("  count_to: body ends");
}

void pull_from_a_generator() {
    say("main: calling count_to(3)");
    Generator<int> numbers = count_to(3);
    say("main: got a Generator back");
    while (std::optional<int> n = numbers.next()) say("main: received %d", *n);
    say("main: no more values");
}

// [step 2] co_await: ask a question, get the answer where you stopped
//
// A generator only talks outward. cogen's coroutines also need the other direction: hand a
// request out ("receive 100 bytes", "sleep 1 s") and get the result back in the middle of the
// body. greeter() asks twice; the driver below answers.
Conversation greeter() {
    say("  greeter: starts");
    const std::string name = co_await Ask{"What is your name?"};
    const std::string city = co_await Ask{"Where do you live?"};
    say("  greeter: hello %s from %s", name.c_str(), city.c_str());
}

// The driver is a scheduler for one coroutine: resume it, read what it asks for, store the
// answer, resume it again, until it is done.
void answer_a_coroutine() {
    Conversation talk = greeter();
    auto handle = talk.handle();
    handle.resume();  // runs to the first co_await
    while (!handle.done()) {
        const std::string question = handle.promise().question;
        const std::string answer = question == "What is your name?" ? "Ada" : "London";
        say("driver: it asks \"%s\", I answer \"%s\"", question.c_str(), answer.c_str());
        handle.promise().answer = answer;
        handle.resume();  // the pending co_await now returns the answer
    }
    say("driver: the coroutine is done");
}

// [step 4] the frame lives between resumptions and dies with its owner
//
// Locals live in the frame, not on the stack of whoever resumes the coroutine: they keep
// their values across pauses, and are destroyed with the frame, at the end of the body or
// when the owner destroys a frame that is still suspended.
struct Noisy {
    const char* name;
    ~Noisy() { say("  ~Noisy(%s): destroyed with the frame", name); }
};

Generator<int> naturals() {
    Noisy guard{"naturals"};
    for (int i = 0;; ++i) co_yield i;  // never ends by itself
}

void destroy_a_suspended_frame() {
    {
        Generator<int> all = naturals();
        for (int k = 0; k < 3; ++k) say("main: took %d", *all.next());
        say("main: dropping the generator while it is suspended");
    }
    say("main: the frame is gone");
}

void story() {
    say("--- step 1: a function that pauses ---");
    pull_from_a_generator();
    say("--- step 2: a coroutine that asks ---");
    answer_a_coroutine();
    say("--- step 4: destroying a suspended frame ---");
    destroy_a_suspended_frame();
}

// --check: run each part again with its lines recorded, and print the ones that answer the
// README's questions.
void check() {
    std::vector<std::string> lines;
    g_record = &lines;
    pull_from_a_generator();
    g_record = nullptr;
    std::printf(
        "P1: the first four lines of step 1 (the body has not run when count_to returns):\n");
    for (std::size_t i = 0; i < 4; ++i) std::printf("  %s\n", lines[i].c_str());
    std::printf("P2: next() resumed the body of count_to(3) %d times (3 values + 1 to the end)\n",
                g_resumes);

    lines.clear();
    g_record = &lines;
    answer_a_coroutine();
    g_record = nullptr;
    std::printf("P3: step 2, in order:\n");
    for (const std::string& line : lines) std::printf("  %s\n", line.c_str());

    lines.clear();
    g_record = &lines;
    destroy_a_suspended_frame();
    g_record = nullptr;
    std::printf("P4: ~Noisy runs between these two lines of main:\n");
    for (std::size_t i = 3; i < lines.size(); ++i) std::printf("  %s\n", lines[i].c_str());
}

int main(int argc, char** argv) {
    return cogen::tutorial::run_plain(
        {.number = 1, .title = "A function that can pause", .story = story, .check = check}, argc,
        argv);
}
