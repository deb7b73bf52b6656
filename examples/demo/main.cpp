// The text-trace demo: three coroutines sleep, signal and join, and every
// transition of the scheduler is printed as a time-free line of the trace.
// Run: build/bin/cogen-demo-trace   (docs/trace-format.md explains each line)
#include <chrono>
#include <cstdio>

#include "cogen/cogen.hpp"
#include "cogen/trace/recorder.hpp"
#include "cogen/trace/text_render.hpp"

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

// Waits for the "go" signal, then returns the value it carried.
cogen::Coro<int> waiter() {
    cogen::Value v = co_await cogen::WaitForSignal{"go", 1s};
    co_return static_cast<int>(v.as_int()) * 2;
}

// Sleeps a little, then signals "go" with 21.
cogen::Coro<> pinger() {
    co_await cogen::Sleep{10ms};
    co_await cogen::Signal{"go", cogen::Value{21}};
}

// Starts the other two and joins the waiter.
cogen::Coro<> boss() {
    auto w = co_await cogen::AddCoro{waiter(), {.name = "waiter"}};
    co_await cogen::AddCoro{pinger(), {.name = "pinger"}};
    int answer = co_await cogen::Join{w};
    std::printf("boss: the answer is %d\n", answer);
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-demo-trace\nCoroutines that sleep, signal and join, with their trace "
            "printed as text.");
        status >= 0) {
        return status;
    }
    cogen::ManualClock clock;  // time-free: sleeping advances this clock, not the wall
    cogen::trace::Recorder recorder;
    {
        cogen::Scheduler sched{{.clock = &clock, .instrument = &recorder}};
        sched.add(boss(), {.name = "boss"});
        sched.run();
    }
    std::printf("\n--- the trace: one line per transition ---\n%s",
                cogen::trace::render_text(recorder.data()).c_str());
    return 0;
}
