// Planted stall (a) untimed-wait: the consumer waits on queue "jobs" with no
// timeout, and the producer returns without sending the end marker. A ticker
// keeps the program alive past the 1 s threshold, then run() returns with the
// consumer still waiting. Expected finding: untimed-wait, coro "consumer",
// blame queue "jobs" (docs/stalls.md).
#include <cogen/cogen.hpp>
#include <cstdio>

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

cogen::Coro<> producer(cogen::Queue<int>& jobs) {
    for (int i = 1; i <= 3; ++i) co_await jobs.put(i);
    // The bug: no end marker (jobs.put(0)) before returning.
}

cogen::Coro<> consumer(cogen::Queue<int>& jobs) {
    for (;;) {
        const int item = co_await jobs.get();  // no timeout: waits forever
        if (item == 0) break;
    }
}

cogen::Coro<> ticker() {
    for (int i = 0; i < 6; ++i) co_await cogen::Sleep{200ms};
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-stall-untimed_wait\nplants an untimed-wait stall: a queue wait with no "
            "timeout that nothing will end.\nRecord a trace with COGEN_TRACE=file:PATH, then: "
            "cogen-trace stalls PATH");
        status >= 0) {
        return status;
    }
    std::printf("planted stall: untimed-wait (consumer waits on queue 'jobs' forever)\n");
    cogen::Queue<int> jobs{0, "jobs"};
    cogen::Scheduler sched;
    sched.add(consumer(jobs), {.name = "consumer"});
    sched.add(producer(jobs), {.name = "producer"});
    sched.add(ticker(), {.name = "ticker"});
    sched.run();
    return 0;
}
