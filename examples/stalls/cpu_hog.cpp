// Planted stall (d) cpu-hog: "cruncher" computes for 80 ms without a single
// co_await, so the ticker's 10 ms timers fire late meanwhile. Expected
// finding: cpu-hog, coro "cruncher", about 80 ms (threshold 50 ms).
#include <chrono>
#include <cogen/cogen.hpp>
#include <cstdio>

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

// Busy work standing in for a parser, a compressor, a blocking call ...
std::uint64_t crunch(std::chrono::milliseconds how_long) {
    const auto end = std::chrono::steady_clock::now() + how_long;
    std::uint64_t x = 1;
    while (std::chrono::steady_clock::now() < end) x = x * 6364136223846793005ULL + 1;
    return x;
}

cogen::Coro<> cruncher() {
    co_await cogen::Sleep{15ms};
    std::printf("cruncher: %llu\n", static_cast<unsigned long long>(crunch(80ms)));
    co_await cogen::Sleep{5ms};
}

cogen::Coro<> ticker() {
    for (int i = 0; i < 10; ++i) co_await cogen::Sleep{10ms};
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-stall-cpu_hog\nplants a cpu-hog stall: a coroutine computes for 80 ms "
            "without a co_await.\nRecord a trace with COGEN_TRACE=file:PATH, then: cogen-trace "
            "stalls PATH");
        status >= 0) {
        return status;
    }
    std::printf("planted stall: cpu-hog (cruncher runs 80 ms without yielding)\n");
    cogen::Scheduler sched;
    sched.add(cruncher(), {.name = "cruncher"});
    sched.add(ticker(), {.name = "ticker"});
    sched.run();
    return 0;
}
