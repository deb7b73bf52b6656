// Planted stall (f) unjoined-failure: "parser" throws, and nobody joins it,
// so the error goes nowhere but the scheduler's report on stderr. Expected
// finding: unjoined-failure, coro "parser", error "bad input".
#include <cogen/cogen.hpp>
#include <cstdio>
#include <stdexcept>

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

cogen::Coro<int> parser() {
    co_await cogen::Sleep{5ms};
    throw std::runtime_error("bad input");
}

cogen::Coro<> main_coro() {
    co_await cogen::AddCoro{parser(), {.name = "parser"}};  // the bug: never joined
    co_await cogen::Sleep{20ms};
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-stall-unjoined_failure\nplants an unjoined-failure stall: a coroutine "
            "throws and nobody joins it.\nRecord a trace with COGEN_TRACE=file:PATH, then: "
            "cogen-trace stalls PATH");
        status >= 0) {
        return status;
    }
    std::printf("planted stall: unjoined-failure (parser throws, nobody joins it)\n");
    cogen::Scheduler sched;
    sched.add(main_coro(), {.name = "main"});
    sched.run();
    return 0;
}
