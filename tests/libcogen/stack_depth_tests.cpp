// Synchronous completions never grow the stack: every co_await returns to
// the scheduler, which resumes the next pair (a trampoline),
// so a long chain of ready ops costs no stack depth (docs/design.md).
#include "cogen/scheduler.hpp"  // header under test first

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"

using cogen::Coro;

namespace {
Coro<int> one() {
    co_return 1;
}

Coro<int> nested(int depth) {
    if (depth == 0) co_return 0;
    co_return 1 + co_await cogen::Call{nested(depth - 1)};
}
}  // namespace

TEST_CASE("a million ready-at-once operations in a row do not grow the stack",
          "[scheduler][stack]") {
    cogen::Scheduler sched;
    cogen::Queue<int> q;
    long long sum = 0;
    auto c = [&]() -> Coro<> {
        for (int i = 0; i < 1'000'000; ++i) {
            co_await q.put_nowait(i);
            sum += co_await q.get_nowait();
        }
    };
    sched.add(c());
    sched.run();
    CHECK(sum == 499999500000LL);
}

TEST_CASE("a million nested-call completions in a row do not grow the stack",
          "[scheduler][stack]") {
    cogen::Scheduler sched;
    long long sum = 0;
    auto c = [&]() -> Coro<> {
        for (int i = 0; i < 1'000'000; ++i) sum += co_await cogen::Call{one()};
    };
    sched.add(c());
    sched.run();
    CHECK(sum == 1'000'000);
}

TEST_CASE("a call chain 100,000 levels deep returns through every level", "[scheduler][stack]") {
    cogen::Scheduler sched;
    auto ref = sched.add(nested(100'000));
    sched.run();
    CHECK(ref.result() == 100'000);
}
