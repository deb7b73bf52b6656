// Healthy: the control program of examples/stalls. A producer feeds a
// consumer through a queue, a starter signals a waiter, everyone is joined and
// finishes: its trace must raise no stall finding (docs/stalls.md).
#include <cogen/cogen.hpp>
#include <cstdio>

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

cogen::Coro<> producer(cogen::Queue<int>& jobs) {
    for (int i = 1; i <= 5; ++i) {
        co_await jobs.put(i);
        co_await cogen::Sleep{2ms};
    }
    co_await jobs.put(0);  // end marker
}

cogen::Coro<int> consumer(cogen::Queue<int>& jobs) {
    int sum = 0;
    for (;;) {
        const int item = co_await jobs.get(1s);
        if (item == 0) break;
        sum += item;
    }
    co_return sum;
}

cogen::Coro<> waiter() {
    co_await cogen::WaitForSignal{"go", 1s};
}

cogen::Coro<> starter() {
    co_await cogen::Sleep{5ms};
    co_await cogen::Signal{"go"};
}

cogen::Coro<> main_coro(cogen::Queue<int>& jobs) {
    auto sum = co_await cogen::AddCoro{consumer(jobs), {.name = "consumer"}};
    auto feed = co_await cogen::AddCoro{producer(jobs), {.name = "producer"}};
    auto wait = co_await cogen::AddCoro{waiter(), {.name = "waiter"}};
    auto start = co_await cogen::AddCoro{starter(), {.name = "starter"}};
    co_await cogen::Join{feed};
    co_await cogen::Join{wait};
    co_await cogen::Join{start};
    const int total = co_await cogen::Join{sum};
    std::printf("healthy: the consumer summed %d\n", total);
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-stall-healthy\nthe control program: producer, consumer, signal and "
            "joins; its trace has no stall finding.\nRecord a trace with COGEN_TRACE=file:PATH, "
            "then: cogen-trace stalls PATH");
        status >= 0) {
        return status;
    }
    cogen::Queue<int> jobs{0, "jobs"};
    cogen::Scheduler sched;
    sched.add(main_coro(jobs), {.name = "main"});
    sched.run();
    return 0;
}
