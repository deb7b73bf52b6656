// Proves the installed cogen::cogen brings the stall check: a coroutine waits for a signal
// nobody sends, so run() returns with it stuck. Exit 0 on its own; with COGEN_STALLS=fail
// the check at exit reports it on stderr and the process exits 23.
#include <cogen/cogen.hpp>
#include <cstdio>

namespace {
cogen::Coro<> waiter() {
    co_await cogen::WaitForSignal{"never-sent"};
}
}  // namespace

int main() {
    {
        cogen::Scheduler sched;
        sched.add(waiter(), {.name = "waiter"});
        sched.run();
    }
    std::printf("consumer_stall ran\n");
    return 0;
}
