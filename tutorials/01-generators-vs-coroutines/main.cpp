// Chapter 01: Generators vs coroutines
// Builds on: nothing.  New here: a C++20 coroutine, its promise, co_yield, co_await.
// Run: build/tutorials/01-generators-vs-coroutines/tutorial-01   (output: expected.txt)
//
// No cogen yet. This program builds the two shapes a suspendable function can
// take, with nothing but <coroutine>:
//   - a generator, which hands values out to whoever pulls them (co_yield);
//   - a coroutine in cogen's sense, which hands a *request* out and gets an
//     *answer* back at the same point (co_await). cogen's whole design is this
//     second shape: the request is an operation, the one answering is the
//     scheduler.
#include <coroutine>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <utility>

// [step 1] a generator type
//
// A function is a coroutine as soon as its body uses co_yield, co_await or
// co_return. The compiler then looks at its return type, here Generator<T>,
// for a nested `promise_type`: the object that lives inside the coroutine's
// frame and tells the compiler what to do at each special point.
template <class T>
class Generator {
  public:
    struct promise_type {
        std::optional<T> current;  // the value the body just yielded
        std::exception_ptr error;  // an exception that escaped the body

        Generator get_return_object() {
            return Generator{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        // Suspend before the first line of the body: calling the function only
        // builds the frame. Nothing runs until somebody resumes it.
        std::suspend_always initial_suspend() noexcept { return {}; }
        // Suspend after the last line too, so the frame stays alive until its
        // owner (the Generator) destroys it.
        std::suspend_always final_suspend() noexcept { return {}; }
        // `co_yield v` is `co_await promise.yield_value(v)`: store the value,
        // then suspend so the caller can pick it up.
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
    // The Generator owns the frame: destroying it destroys the frame, even in
    // the middle of the body (step 4 shows what that does to locals).
    ~Generator() {
        if (m_handle) m_handle.destroy();
    }

    // Pull one value: resume the body until its next co_yield (or its end).
    std::optional<T> next() {
        if (m_handle.done()) return std::nullopt;
        m_handle.resume();
        if (m_handle.promise().error) std::rethrow_exception(m_handle.promise().error);
        if (m_handle.done()) return std::nullopt;
        return std::exchange(m_handle.promise().current, std::nullopt);
    }

  private:
    explicit Generator(std::coroutine_handle<promise_type> handle) : m_handle(handle) {}
    std::coroutine_handle<promise_type> m_handle;
};

// [step 2] pull values out of a generator
//
// Every printf in the body is indented, every printf in main is not: the
// output then shows who runs when. The body runs only inside next().
Generator<int> count_to(int last) {
    std::printf("  count_to: body starts\n");
    for (int i = 1; i <= last; ++i) {
        std::printf("  count_to: co_yield %d\n", i);
        co_yield i;
    }
    std::printf("  count_to: body ends\n");
}

void pull_from_a_generator() {
    std::printf("main: calling count_to(3)\n");
    Generator<int> numbers = count_to(3);
    std::printf("main: got a Generator, and the body has not run yet\n");
    while (std::optional<int> n = numbers.next()) std::printf("main: received %d\n", *n);
    std::printf("main: no more values\n");
}

// [step 3] the other direction: co_await asks for something and gets an answer
//
// A generator only talks outward. cogen's coroutines need the other direction
// too: in Python cogen a coroutine writes `data = yield sock.recv(100)`, it
// hands a request out and receives the result where it stopped. In C++ that
// place is a co_await expression.
//
// Conversation is the coroutine type; Ask is the request. Ask's three
// "awaiter" methods are what co_await calls:
//   await_ready()    false: always suspend, somebody else must answer;
//   await_suspend()  runs once the body is suspended: leave the question in the
//                    promise, where the driver will find it;
//   await_resume()   runs when the body resumes: its return value becomes the
//                    value of the whole co_await expression.
class Conversation {
  public:
    struct promise_type {
        const char* question = nullptr;  // set by Ask::await_suspend
        std::string answer;              // set by the driver before resuming

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

Conversation greeter() {
    std::printf("  greeter: starts\n");
    const std::string name = co_await Ask{"What is your name?"};
    const std::string city = co_await Ask{"Where do you live?"};
    std::printf("  greeter: hello %s from %s\n", name.c_str(), city.c_str());
}

// The driver is a tiny scheduler for one coroutine: resume it, look at what it
// asks for, provide the answer, resume it again, until it is done.
void answer_a_coroutine() {
    Conversation talk = greeter();
    auto handle = talk.handle();
    handle.resume();  // runs to the first co_await
    while (!handle.done()) {
        const std::string question = handle.promise().question;
        const std::string answer = question == "What is your name?" ? "Ada" : "London";
        std::printf("driver: it asks \"%s\", I answer \"%s\"\n", question.c_str(), answer.c_str());
        handle.promise().answer = answer;
        handle.resume();  // the pending co_await now returns the answer
    }
    std::printf("driver: the coroutine is done\n");
}

// [step 4] the frame lives between resumptions and dies with its owner
//
// Locals of a coroutine live in its frame, on the heap, not on the stack of
// whoever resumes it. They keep their values across suspensions, and they are
// destroyed when the frame is: at the end of the body, or when the owner
// destroys a frame that is still suspended. The scheduler of later chapters
// owns every frame for the same reason.
struct Noisy {
    const char* name;
    ~Noisy() { std::printf("  ~Noisy(%s): destroyed with the frame\n", name); }
};

Generator<int> naturals() {
    Noisy guard{"naturals"};
    for (int i = 0;; ++i) co_yield i;  // never ends by itself
}

void destroy_a_suspended_frame() {
    {
        Generator<int> all = naturals();
        for (int k = 0; k < 3; ++k) std::printf("main: took %d\n", *all.next());
        std::printf("main: dropping the generator while it is suspended\n");
    }
    std::printf("main: the frame is gone\n");
}

int main() {
    std::printf("--- step 2: a generator ---\n");
    pull_from_a_generator();
    std::printf("--- step 3: a coroutine that asks ---\n");
    answer_a_coroutine();
    std::printf("--- step 4: destroying a suspended frame ---\n");
    destroy_a_suspended_frame();
}
