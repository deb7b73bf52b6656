// Planted stall (c) deadlock: "left" joins "right" and "right" joins "left";
// neither can ever finish. Expected findings: deadlock naming the cycle
// left -> right (plus an untimed-wait for each of them).
#include <cogen/cogen.hpp>
#include <cstdio>
#include <optional>

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

// Each waits for the other; the handles are filled in before run().
cogen::Coro<> partner(const std::optional<cogen::CoroRef<>>& other) {
    co_await cogen::Sleep{10ms};
    co_await cogen::Join{*other};  // no timeout: waits forever
}

cogen::Coro<> ticker() {
    for (int i = 0; i < 6; ++i) co_await cogen::Sleep{200ms};
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-stall-deadlock\nplants a deadlock: two coroutines join each "
            "other.\nRecord a trace with COGEN_TRACE=file:PATH, then: cogen-trace stalls PATH");
        status >= 0) {
        return status;
    }
    std::printf("planted stall: deadlock (left and right join each other)\n");
    std::optional<cogen::CoroRef<>> left;
    std::optional<cogen::CoroRef<>> right;
    cogen::Scheduler sched;
    left = sched.add(partner(right), {.name = "left"});
    right = sched.add(partner(left), {.name = "right"});
    sched.add(ticker(), {.name = "ticker"});
    sched.run();
    return 0;
}
