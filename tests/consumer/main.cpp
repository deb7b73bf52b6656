// Proves an installed cogen works from another project: two coroutines
// signal each other; prints "consumer ok" when the value arrived.
#include <cogen/cogen.hpp>
#include <cstdio>

namespace {
cogen::Coro<> waiter(int& got) {
    cogen::Value v = co_await cogen::WaitForSignal{"ping"};
    got = static_cast<int>(v.as_int());
}
cogen::Coro<> pinger() {
    co_await cogen::Signal{"ping", cogen::Value{7}};
}
}  // namespace

int main() {
    int got = 0;
    cogen::Scheduler sched;
    sched.add(waiter(got), {.name = "waiter"});
    sched.add(pinger(), {.name = "pinger"});
    sched.run();
    std::printf(got == 7 ? "consumer ok\n" : "consumer FAILED\n");
    return got == 7 ? 0 : 1;
}
