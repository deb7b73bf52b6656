// cogen-bench-switch: nanoseconds per coroutine switch through the real
// scheduling path — suspend, queue, pick, resume — the analogue of the
// `co_await asio::post(...)` peer. Interface: bench/README.md.
//
// usage: cogen-bench-switch [--n N] [--trials T] [--trace
// off|noop|ring|file|jsonl|live|stalls|stalls+file|stalls-watch|stalls-watch+file]
//                           [--trace-file PATH]
// prints: cogen_switch ns_per_switch=X
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "cogen/cogen.hpp"
#include "trace_modes.hpp"

namespace {

/// One switch: park at the back of the active queue; the loop picks us up
/// again. (Yield would continue at once: we are the only coroutine.)
class Post final : public cogen::OperationOf<void> {
  public:
    cogen::Disposition process(cogen::SchedulerCore& sched, cogen::Coroutine&) override {
        return sched.requeue(*this, cogen::Placement::back);
    }
    std::string_view name() const override { return "Post"; }
    cogen::Outcome waits_on() const noexcept override { return cogen::Outcome::yield; }
};

cogen::Coro<> spinner(std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) co_await Post{};
}

double trial(std::uint64_t n, cogen::Instrument* instrument) {
    cogen::Scheduler sched{{.instrument = instrument}};
    sched.add(spinner(n));
    const auto t0 = std::chrono::steady_clock::now();
    sched.run();
    const auto t1 = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(n);
}

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr, "cogen-bench-switch: %s\n", why);
    std::fprintf(
        stderr,
        "usage: cogen-bench-switch [--n N] [--trials T] "
        "[--trace off|noop|ring|file|jsonl|live|stalls|stalls+file|stalls-watch|stalls-watch+file] "
        "[--trace-file PATH]\n");
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t n = 10'000'000;
    int trials = 5;
    std::string trace = "off";
    std::string trace_file = "cogen-bench-switch.cgt";
    for (int i = 1; i < argc; ++i) {
        const bool has_value = i + 1 < argc;
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::printf(
                "usage: cogen-bench-switch [--n N] [--trials T] "
                "[--trace "
                "off|noop|ring|file|jsonl|live|stalls|stalls+file|stalls-watch|stalls-watch+file] "
                "[--trace-file PATH]\n");
            return 0;
        } else if (std::strcmp(argv[i], "--n") == 0 && has_value) {
            n = std::strtoull(argv[++i], nullptr, 10);
        } else if (std::strcmp(argv[i], "--trials") == 0 && has_value) {
            trials = std::atoi(argv[++i]);
        } else if (std::strcmp(argv[i], "--trace") == 0 && has_value) {
            trace = argv[++i];
        } else if (std::strcmp(argv[i], "--trace-file") == 0 && has_value) {
            trace_file = argv[++i];
        } else {
            usage((std::string("unknown option ") + argv[i]).c_str());
        }
    }
    if (n == 0 || trials <= 0) usage("--n and --trials must be positive");

    // A fresh instrument per trial: a file sink closes with the scheduler it served, so a
    // shared one would record the warm-up only. Its setup is outside the timed part.
    const auto fresh_instrument = [&] {
        std::string error;
        auto instrument = cogen::bench::make_trace_instrument(trace, trace_file, error);
        if (!error.empty()) usage(error.c_str());
        return instrument;
    };
    trial(n / 10 + 1, fresh_instrument().get());  // warm-up
    double best = 1e300;
    for (int k = 0; k < trials; ++k) {
        const double ns = trial(n, fresh_instrument().get());
        if (ns < best) best = ns;
    }
    const std::string name = trace == "off" ? "cogen_switch" : "cogen_switch_trace_" + trace;
    std::printf("%s ns_per_switch=%.2f\n", name.c_str(), best);
    return 0;
}
