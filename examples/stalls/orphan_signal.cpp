// Planted stall (b) orphan-signal: the waiter waits for signal "ready", but
// the starter emits "redy" (a typo) and returns, so no live coroutine can
// emit "ready" any more. Expected findings: orphan-signal (and, since the
// wait has no timeout, untimed-wait), coro "waiter", blame signal "ready".
#include <cogen/cogen.hpp>
#include <cstdio>

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

cogen::Coro<> waiter() {
    co_await cogen::WaitForSignal{"ready"};
}

cogen::Coro<> starter() {
    co_await cogen::Sleep{20ms};
    co_await cogen::Signal{"redy"};  // the bug: the wrong name
}

cogen::Coro<> ticker() {
    for (int i = 0; i < 6; ++i) co_await cogen::Sleep{200ms};
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-stall-orphan_signal\nplants an orphan-signal stall: a wait for a signal "
            "nobody can emit any more.\nRecord a trace with COGEN_TRACE=file:PATH, then: "
            "cogen-trace stalls PATH");
        status >= 0) {
        return status;
    }
    std::printf("planted stall: orphan-signal (waiter waits for 'ready'; 'redy' was sent)\n");
    cogen::Scheduler sched;
    sched.add(waiter(), {.name = "waiter"});
    sched.add(starter(), {.name = "starter"});
    sched.add(ticker(), {.name = "ticker"});
    sched.run();
    return 0;
}
