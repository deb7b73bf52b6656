// cogen-bench-timers: N timers, each firing at its own deadline — the
// procedure of peers/timers_asio.cpp with cogen's timer heap. Interface:
// bench/README.md.
//
// usage: cogen-bench-timers [--n N] [--proactor select|poll|epoll|uring]
//                           [--kind coro|callback]
// prints: cogen_timers n=N insert_ns_per_timer=X late_p50_us=X late_p99_us=X
//         late_max_us=X rss_bytes_per_timer=X      (cogen_timers_callback for --kind callback)
//
// --kind coro (default): a coroutine per timer sleeping until its deadline
// (Sleep::until). "Insertion" = add() the coroutine and run the loop until it
// has awaited its Sleep (its first round only creates the frame, the second
// arms the timer): the point where asio's async_wait has returned.
// --kind callback: Scheduler::call_at with a lambda per timer, asio's
// handler-per-timer shape; insertion is the call itself.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "rss.hpp"

namespace {

cogen::Coro<> timer(cogen::Scheduler& sched, std::chrono::nanoseconds deadline,
                    std::int64_t& late_ns, std::size_t& fired) {
    co_await cogen::Sleep::until(deadline);
    late_ns = (sched.now() - deadline).count();
    ++fired;
}

// The callback kind's insertion, out of line: callgrind counts it with
// --toggle-collect='(anonymous namespace)::insert_callbacks*' (bench/RESULTS.md, "Timers";
// a leading * would also match the stored lambda's run() when it fires).
[[gnu::noinline]] void insert_callbacks(cogen::Scheduler& sched, std::chrono::nanoseconds base,
                                        const std::vector<std::int64_t>& offsets,
                                        std::vector<std::int64_t>& late_ns, std::size_t& fired) {
    for (std::size_t i = 0; i < offsets.size(); ++i) {
        const auto deadline = base + std::chrono::nanoseconds(offsets[i]);
        // 32 bytes of captures: stored in the timer's slot, no allocation.
        sched.call_at(deadline, [&sched, deadline, late = &late_ns[i], &fired] {
            *late = (sched.now() - deadline).count();
            ++fired;
        });
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t n = 100'000;
    std::string proactor = "automatic";
    std::string timer_kind = "coro";
    constexpr const char* usage =
        "usage: cogen-bench-timers [--n N] [--proactor KIND] [--kind coro|callback]\n";
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::printf("%s", usage);
            return 0;
        } else if (std::strcmp(argv[i], "--n") == 0 && i + 1 < argc) {
            n = std::strtoull(argv[++i], nullptr, 10);
        } else if (std::strcmp(argv[i], "--proactor") == 0 && i + 1 < argc) {
            proactor = argv[++i];
        } else if (std::strcmp(argv[i], "--kind") == 0 && i + 1 < argc) {
            timer_kind = argv[++i];
        } else {
            std::fprintf(stderr, "%s", usage);
            return 2;
        }
    }
    const auto kind = cogen::proactor_kind_from_string(proactor);
    const bool callbacks = timer_kind == "callback";
    if (!kind || n == 0 || (!callbacks && timer_kind != "coro")) {
        std::fprintf(stderr, "cogen-bench-timers: bad option value\n");
        return 2;
    }
    constexpr auto guard = std::chrono::milliseconds(200);
    constexpr auto spread = std::chrono::seconds(1);

    std::mt19937_64 rng(20261125);
    std::uniform_int_distribution<std::int64_t> offset_ns(
        0, std::chrono::nanoseconds(spread).count() - 1);
    // Everything except the timers themselves is allocated and touched first.
    std::vector<std::int64_t> offsets(n);
    std::vector<std::int64_t> late_ns(n, 0);
    for (auto& o : offsets) o = offset_ns(rng);
    std::size_t fired = 0;

    try {
        cogen::Scheduler sched{{.proactor = *kind}};
        const long rss0 = cogen::bench::rss_bytes();
        const auto base = sched.now() + guard;
        const auto t0 = std::chrono::steady_clock::now();
        if (callbacks) {
            insert_callbacks(sched, base, offsets, late_ns, fired);
        } else {
            for (std::size_t i = 0; i < n; ++i)
                sched.add(
                    timer(sched, base + std::chrono::nanoseconds(offsets[i]), late_ns[i], fired));
            while (cogen::SchedulerObserver{sched}.active_size() > 0)
                sched.step();  // every coroutine has armed its Sleep
        }
        const auto t1 = std::chrono::steady_clock::now();
        const long rss1 = cogen::bench::rss_bytes();
        if (sched.now() > base)
            std::fprintf(stderr, "cogen-bench-timers: insertion outlasted the guard\n");

        sched.run();
        if (fired != n)
            std::fprintf(stderr, "cogen-bench-timers: only %zu of %zu fired\n", fired, n);

        std::sort(late_ns.begin(), late_ns.end());
        auto pct = [&](double p) {
            return static_cast<double>(
                       late_ns[std::min(n - 1, static_cast<std::size_t>(p * (n - 1) + 0.5))]) /
                   1000.0;
        };
        const double insert_ns =
            std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(n);
        std::printf(
            "%s n=%zu insert_ns_per_timer=%.1f late_p50_us=%.1f late_p99_us=%.1f "
            "late_max_us=%.1f rss_bytes_per_timer=%.1f\n",
            callbacks ? "cogen_timers_callback" : "cogen_timers", n, insert_ns, pct(0.50),
            pct(0.99), static_cast<double>(late_ns[n - 1]) / 1000.0,
            static_cast<double>(rss1 - rss0) / static_cast<double>(n));
    } catch (const cogen::UnsupportedBackend& e) {
        std::fprintf(stderr, "cogen-bench-timers: %s\n", e.what());
        return 2;
    }
    return 0;
}
