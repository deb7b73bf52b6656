// Compiled (not linked) by runtime.discarded_ops_warn: every line marked "expect: nodiscard"
// must draw a nodiscard warning, and no other line may warn. The marked lines are the
// forgotten co_await of tutorial chapter 03: an operation built and dropped never runs.
#include <chrono>

#include "cogen/cogen.hpp"

using namespace std::chrono_literals;

cogen::Coro<> helper() {
    co_return;
}

cogen::Coro<> forgetful(cogen::Queue<int>& q, cogen::CoroRef<void> other) {
    cogen::Yield{};                 // expect: nodiscard
    cogen::Sleep{50ms};             // expect: nodiscard
    cogen::Sleep::until(1s);        // expect: nodiscard
    cogen::Signal{"ready"};         // expect: nodiscard
    cogen::WaitForSignal{"ready"};  // expect: nodiscard
    cogen::Join{other};             // expect: nodiscard
    cogen::Call{helper()};          // expect: nodiscard
    cogen::AddCoro{helper()};       // expect: nodiscard
    q.put(1);                       // expect: nodiscard
    q.get();                        // expect: nodiscard
    helper();                       // expect: nodiscard
    // What the compiler cannot see: an op kept in a variable, or cast to void.
    auto kept = cogen::Yield{};
    (void)cogen::Yield{};
    // The right way, for comparison: no warning.
    co_await cogen::Yield{};
    co_await cogen::Sleep{50ms};
    co_await q.put(2);
}
