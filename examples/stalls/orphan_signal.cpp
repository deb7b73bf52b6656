// Planted stall (b) orphan-signal: the waiter waits for signal "ready", but
// the starter emits "redy" (a typo) and returns, so no live coroutine can
// emit "ready" any more. Expected findings: orphan-signal (and, since the
// wait has no timeout, untimed-wait), coro "waiter", blame signal "ready".
#include <cogen/cogen.hpp>
#include <cstdio>

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

int main() {
    std::printf("planted stall: orphan-signal (waiter waits for 'ready'; 'redy' was sent)\n");
    cogen::Scheduler sched;
    sched.add(waiter(), {.name = "waiter"});
    sched.add(starter(), {.name = "starter"});
    sched.add(ticker(), {.name = "ticker"});
    sched.run();
    return 0;
}
