// cogen_stalls_sigterm_victim: run with COGEN_TRACE=file:PATH and COGEN_STALLS=1 together.
// One coroutine awaits Sleep{0} N times (argv[1], default 1000), then the program gets
// SIGTERM while its scheduler runs: the tracer's signal thread flushes the trace and the
// signal ends the program. The trace must hold all N awaits, although the stall check's
// ring (drained every 10 ms) may not have handed them to the file sink yet.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>

#include "cogen/cogen.hpp"

namespace {

cogen::Coro<> victim(long n) {
    for (long i = 0; i < n; ++i) co_await cogen::Sleep{std::chrono::milliseconds{0}};
    std::raise(SIGTERM);
    for (;;) ::pause();  // until the signal thread re-raises SIGTERM with its default action
}

}  // namespace

int main(int argc, char** argv) {
    const long n = argc > 1 ? std::atol(argv[1]) : 1000;
    cogen::Scheduler sched;
    sched.add(victim(n), {.name = "victim"});
    sched.run();
    return 1;  // not reached: SIGTERM ends the program
}
