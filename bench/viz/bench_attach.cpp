// cogen-bench-viz-attach: does a viewer attached to a live feed lose events while its
// window trims?
//
//   cogen-bench-viz-attach [seconds (110) [keep (6000000) [buffer_bytes (131072)
//                          [workers (2) [yields (10)]]]]]
//
// A program thread runs `workers` coroutines, each yielding `yields` times and then sleeping
// a millisecond, traced into a LiveFeed whose buffer for a viewer is `buffer_bytes` (the
// default feed's is 8 MB); about 130,000 events/s with the defaults on the 2-core VM. The
// main thread does what attach mode does (a LiveSource drained into a Session every 20 ms)
// with a window of `keep` events, which trims a quarter of itself each time it is a quarter
// over. A smaller buffer stands for a bigger window: the viewer loses events when a trim
// holds it longer than the buffer lasts.
//
// Prints: cogen_viz_attach events=N rate=R/s fell_off=F trims=T longest_drain_s=D
//         feed_dropped=X gaps=G
// (gaps: the "N events before #S are missing" reports the viewer got).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "cogen/cogen.hpp"
#include "cogen/trace/live_feed.hpp"
#include "live_source.hpp"
#include "session.hpp"

namespace {

std::atomic<bool> g_stop{false};

cogen::Coro<> worker(int yields) {
    while (!g_stop.load(std::memory_order_relaxed)) {
        for (int i = 0; i < yields; ++i) co_await cogen::Yield{};
        co_await cogen::Sleep{std::chrono::milliseconds(1)};
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        std::printf(
            "usage: cogen-bench-viz-attach [seconds (110) [keep (6000000) [buffer_bytes "
            "(131072) [workers (2) [yields (10)]]]]]\n");
        return 0;
    }
    const double seconds = argc > 1 ? std::atof(argv[1]) : 110;
    const std::size_t keep = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 6'000'000;
    const std::size_t buffer = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 131'072;
    const int workers = argc > 4 ? std::atoi(argv[4]) : 2;
    const int yields = argc > 5 ? std::atoi(argv[5]) : 10;
    if (seconds <= 0 || keep == 0 || buffer == 0 || workers <= 0 || yields < 0) {
        std::fprintf(stderr, "cogen-bench-viz-attach: bad arguments (--help)\n");
        return 2;
    }
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("cogen-bench-attach-" + std::to_string(::getpid()) + ".sock"))
                                 .string();
    cogen::trace::LiveFeed::Options options;
    options.viewer_buffer_bytes = buffer;
    cogen::trace::LiveFeed feed{path, options};
    std::thread program([&] {
        cogen::Scheduler sched{{.instrument = &feed}};
        for (int i = 0; i < workers; ++i) sched.add(worker(yields));
        sched.run();
    });

    cogen::viz::Session session{cogen::viz::ModelOptions{.keep_events = keep}};
    cogen::viz::LiveSource source(path);
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    double longest = 0;
    std::size_t events = 0;
    std::size_t trims = 0;
    std::size_t fell_off = 0;
    while (std::chrono::steady_clock::now() < end) {
        const auto t0 = std::chrono::steady_clock::now();
        events += source.drain(session);
        longest = std::max(
            longest, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        const std::size_t now_off = session.model().dropped_events();
        if (now_off != fell_off) ++trims;
        fell_off = now_off;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    g_stop = true;
    program.join();
    std::size_t gaps = 0;
    for (const cogen::viz::Notice& n : session.notices())
        if (n.text.find(" are missing ") != std::string::npos) ++gaps;
    std::printf(
        "cogen_viz_attach events=%zu rate=%.0f/s fell_off=%zu trims=%zu longest_drain_s=%.3f "
        "feed_dropped=%llu gaps=%zu\n",
        events, static_cast<double>(events) / seconds, fell_off, trims, longest,
        static_cast<unsigned long long>(feed.dropped()), gaps);
    std::fflush(stdout);
    std::filesystem::remove(path);
    // The feed and the session hold gigabytes of model with the defaults: no need to free
    // them one by one.
    std::_Exit(0);
}
