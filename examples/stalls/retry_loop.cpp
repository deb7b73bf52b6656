// Planted stall (h) retry-loop: "poller" takes jobs from queue "jobs" with a
// 5 ms timeout and retries on every timeout. The producer put three jobs and
// returned; nobody will ever put again, so the poller times out 100 times in a
// row before it gives up. Every wait is timed, so no untimed-wait is raised.
// Expected finding: retry-loop, coro "poller", blame queue "jobs", get side
// (docs/stalls.md).
#include <cogen/cogen.hpp>
#include <cstdio>

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

cogen::Coro<> producer(cogen::Queue<int>& jobs) {
    for (int i = 1; i <= 3; ++i) co_await jobs.put(i);
}

cogen::Coro<> poller(cogen::Queue<int>& jobs) {
    int done = 0;
    int timeouts = 0;
    while (timeouts < 100) {
        try {
            const int job = co_await jobs.get(5ms);
            ++done;
            timeouts = 0;
            std::printf("poller: job %d\n", job);
        } catch (const cogen::OperationTimeout&) {
            ++timeouts;  // the bug: retry forever (here: 100 times) on a queue nobody fills
        }
    }
    std::printf("poller: %d jobs, then gave up after %d timeouts in a row\n", done, timeouts);
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-stall-retry_loop\nplants a retry loop: a get with a 5 ms timeout, "
            "retried 100 times on a queue nobody fills.\nRecord a trace with "
            "COGEN_TRACE=file:PATH, then: cogen-trace stalls PATH");
        status >= 0) {
        return status;
    }
    std::printf("planted stall: retry-loop (a timed get retried on a queue nobody fills)\n");
    cogen::Queue<int> jobs{0, "jobs"};
    cogen::Scheduler sched;
    sched.add(producer(jobs), {.name = "producer"});
    sched.add(poller(jobs), {.name = "poller"});
    sched.run();
    return 0;
}
