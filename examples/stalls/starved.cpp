// Planted stall (g) starved: "ping" and "pong" hand items back and forth through
// two queues with CORO priority for 300 ms; each hand-off resumes the other at
// once and queues the sender at the front. "sleeper" becomes runnable when its
// 1 ms sleep ends and waits at the back of the active queue until they stop.
// Expected finding: starved, coro "sleeper", ping and pong named as who ran
// instead (docs/stalls.md).
#include <chrono>
#include <cogen/cogen.hpp>
#include <cstdio>

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

// A little work per item, so the trace stays small (a few thousand hand-offs).
void work(std::chrono::microseconds how_long) {
    const auto until = Clock::now() + how_long;
    while (Clock::now() < until) {
    }
}

cogen::Coro<> ping(cogen::Queue<int>& to_pong, cogen::Queue<int>& to_ping) {
    const auto until = Clock::now() + 300ms;
    int n = 0;
    while (Clock::now() < until) {
        work(100us);
        co_await to_pong.put(++n, {}, cogen::Priority::CORO);
        const int back = co_await to_ping.get();
        n = back;
    }
    co_await to_pong.put(0, {}, cogen::Priority::CORO);  // the end marker
}

cogen::Coro<> pong(cogen::Queue<int>& to_pong, cogen::Queue<int>& to_ping) {
    for (;;) {
        const int n = co_await to_pong.get();
        if (n == 0) break;
        work(100us);
        co_await to_ping.put(n + 1, {}, cogen::Priority::CORO);
    }
}

cogen::Coro<> sleeper() {
    const auto start = Clock::now();
    co_await cogen::Sleep{1ms};
    const auto late = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    std::printf("sleeper: a 1 ms sleep took %lld ms\n", static_cast<long long>(late.count()));
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-stall-starved\nplants a starvation: two coroutines hand items back "
            "and forth with CORO priority while a third waits in the active queue.\nRecord a "
            "trace with COGEN_TRACE=file:PATH, then: cogen-trace stalls PATH");
        status >= 0) {
        return status;
    }
    std::printf("planted stall: starved (priority hand-offs keep 'sleeper' from running)\n");
    cogen::Queue<int> to_pong{0, "to_pong"};
    cogen::Queue<int> to_ping{0, "to_ping"};
    cogen::Scheduler sched;
    sched.add(sleeper(), {.name = "sleeper"});
    sched.add(pong(to_pong, to_ping), {.name = "pong"});
    sched.add(ping(to_pong, to_ping), {.name = "ping"});
    sched.run();
    return 0;
}
