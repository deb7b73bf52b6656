// cogen-bench-viz-open: how long cogen-viz takes to open a big trace.
//
//   cogen-bench-viz-open [events (1000000) [alive coroutines (2000)]]
//       writes the synthetic workload as JSON Lines, then, 5 times: the tracer's reader
//       alone; the model built from memory; "open" as headless mode does it (the whole file
//       read and indexed, then the first state at the end and the stall findings; budget
//       1M events in 1 s); and the window's way (a TraceLoader in the background):
//       the first frame-ready model, and the file fully indexed while "frames" take the
//       session 10 times a second.
//   cogen-bench-viz-open --file FILE [--runs N] [--first-frame]
//       the window's way on an existing trace (any format; cogen-bench-big-trace write makes
//       binary ones); --first-frame stops at the first frame (the loader is cancelled: a
//       trace whose whole model would not fit in memory).
//
// "First frame ready": from the loader's start until a frame took the session lock, found
// events in the model, put the cursor on the first one and refreshed the state and the
// findings: what the window needs before it draws (the window's own opening, ≈ 0.1 s with
// GLFW, runs beside it and is not counted).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "bench_args.hpp"
#include "cogen/trace/jsonl_format.hpp"
#include "cogen/trace/reader.hpp"
#include "synthetic_workload.hpp"
#include "trace_loader.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

double cpu_seconds() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Background {
    double first_frame = 0;  // s
    double indexed = 0;      // s, as the loader measured it
    double closed = 0;       // s from asking it to stop to the thread joined (--first-frame)
    std::size_t events_at_first = 0;
    std::size_t events = 0;
    int frames = 0;
    std::vector<double> frame_waits;  // ms each frame waited for the session lock
    std::vector<double> frame_holds;  // ms each frame held it (the loader waits meanwhile)
};

// The window's way: a TraceLoader, frames that take the session every 100 ms.
Background open_in_background(const std::string& path, bool first_frame_only) {
    Background r;
    cogen::viz::Session session;
    const auto start = Clock::now();
    auto loader = std::make_unique<cogen::viz::TraceLoader>(session, path, false);
    for (;;) {
        {
            const auto lock = loader->lock();
            const auto& model = session.model();
            if (!model.empty() || loader->done()) {
                session.seek(model.first_seq());
                session.refresh();
                r.first_frame = seconds_since(start);
                r.events_at_first = model.size();
                break;
            }
        }
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    if (first_frame_only) {
        const auto t = Clock::now();
        loader.reset();
        r.closed = seconds_since(t);
        r.events = session.model().size();
        return r;
    }
    while (!loader->done()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const auto asked = Clock::now();
        const auto lock = loader->lock();
        const auto got = Clock::now();
        r.frame_waits.push_back(std::chrono::duration<double>(got - asked).count() * 1e3);
        session.refresh();
        r.frame_holds.push_back(seconds_since(got) * 1e3);
        ++r.frames;
    }
    r.indexed = loader->wait().seconds;
    r.events = session.model().size();
    return r;
}

void print_background(const std::vector<Background>& runs) {
    std::vector<double> first;
    std::vector<double> indexed;
    std::vector<double> closed;
    for (const Background& b : runs) {
        first.push_back(b.first_frame);
        indexed.push_back(b.indexed);
        closed.push_back(b.closed);
    }
    std::printf(
        "first frame ready (background loader): median %.3f s, min %.3f s, max %.3f s "
        "(%zu events indexed by then)\n",
        median(first), *std::min_element(first.begin(), first.end()),
        *std::max_element(first.begin(), first.end()), runs.front().events_at_first);
    if (runs.front().indexed > 0) {
        std::printf(
            "fully indexed (background, frames at 10 Hz): median %.3f s, min %.3f s, "
            "max %.3f s (%zu events, %d frames)\n",
            median(indexed), *std::min_element(indexed.begin(), indexed.end()),
            *std::max_element(indexed.begin(), indexed.end()), runs.front().events,
            runs.front().frames);
        std::vector<double> waits;
        std::vector<double> holds;
        for (const Background& b : runs) {
            waits.insert(waits.end(), b.frame_waits.begin(), b.frame_waits.end());
            holds.insert(holds.end(), b.frame_holds.begin(), b.frame_holds.end());
        }
        if (!waits.empty()) {
            std::printf("a frame's wait for the lock while indexing: median %.2f ms, max %.2f ms\n",
                        median(waits), *std::max_element(waits.begin(), waits.end()));
            std::printf(
                "a frame's hold of the lock (refresh): median %.2f ms, max %.2f ms, "
                "%.3f s in all\n",
                median(holds), *std::max_element(holds.begin(), holds.end()),
                std::accumulate(holds.begin(), holds.end(), 0.0) / 1e3 /
                    static_cast<double>(runs.size()));
        }
    } else {
        std::printf("closed mid-way (cancel + join): median %.3f s (%zu events indexed)\n",
                    median(closed), runs.front().events);
    }
}

int bench_file(int argc, char** argv) {
    std::string path;
    int runs = 3;
    bool first_frame_only = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--file") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = std::max(1, std::atoi(argv[++i]));
        } else if (std::strcmp(argv[i], "--first-frame") == 0) {
            first_frame_only = true;
        } else {
            std::fprintf(stderr,
                         "%s: bad argument '%s'\nusage: cogen-bench-viz-open --file FILE "
                         "[--runs N] [--first-frame]\n",
                         argv[0], argv[i]);
            return 2;
        }
    }
    if (path.empty() || !std::filesystem::exists(path)) {
        std::fprintf(stderr, "%s: no such file: '%s'\n", argv[0], path.c_str());
        return 2;
    }
    std::printf("trace: %s, %.1f MB\n", path.c_str(),
                static_cast<double>(std::filesystem::file_size(path)) / 1e6);
    std::vector<Background> results;
    for (int run = 0; run < runs; ++run)
        results.push_back(open_in_background(path, first_frame_only));
    print_background(results);
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    std::printf("peak RSS: %.0f MB\n", static_cast<double>(usage.ru_maxrss) / 1e3);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::strncmp(argv[1], "--file", 6) == 0) return bench_file(argc, argv);
    if (const int status = cogen::bench::check_positional_args(
            argc, argv,
            "usage: cogen-bench-viz-open [events (1000000) [alive coroutines (2000)]]\n"
            "       cogen-bench-viz-open --file FILE [--runs N] [--first-frame]",
            2, 2);
        status >= 0) {
        return status;
    }
    const std::size_t events = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    const std::size_t alive = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 2000;
    const auto dir =
        std::filesystem::temp_directory_path() / ("cogen-bench-viz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "trace.jsonl").string();
    {
        cogen::viz::bench::SyntheticWorkload workload(events, alive);
        std::ofstream out(path);
        cogen::trace::export_jsonl(workload.data(), out);
    }
    std::printf("trace: %zu events, %zu live coroutines, %.1f MB of JSON Lines\n", events, alive,
                static_cast<double>(std::filesystem::file_size(path)) / 1e6);

    std::vector<double> read_only;
    std::vector<double> read_cpu;
    std::vector<double> model_cpu;
    std::vector<double> open;
    std::vector<double> open_cpu;
    std::vector<Background> background;
    for (int run = 0; run < 5; ++run) {
        auto t = Clock::now();
        double c0 = cpu_seconds();
        cogen::trace::ReadOptions lenient;
        lenient.lenient = true;
        const auto data = cogen::trace::read_trace_file(path, lenient);
        read_only.push_back(seconds_since(t));
        read_cpu.push_back(cpu_seconds() - c0);
        c0 = cpu_seconds();
        {
            cogen::viz::Session built;
            built.ingest(data);
        }
        model_cpu.push_back(cpu_seconds() - c0);

        t = Clock::now();
        const double cpu = cpu_seconds();
        {
            cogen::viz::Session session;
            const auto result = cogen::viz::load_trace_file(session, path, false);
            session.seek(session.model().last_seq());
            session.refresh();
            open.push_back(seconds_since(t));
            open_cpu.push_back(cpu_seconds() - cpu);
            if (!result.readable || session.model().size() != events) {
                std::fprintf(stderr, "bench: the trace did not load (%zu events)\n",
                             session.model().size());
                return 1;
            }
        }
        background.push_back(open_in_background(path, false));
    }
    std::filesystem::remove_all(dir);
    const double med = median(open);
    std::printf("read (tracer reader only): median %.3f s wall, %.3f s CPU\n", median(read_only),
                median(read_cpu));
    std::printf("model build from memory: median %.3f s CPU\n", median(model_cpu));
    std::printf(
        "open (read + model + first state + stall findings): median %.3f s, min %.3f s, max %.3f "
        "s\n",
        med, *std::min_element(open.begin(), open.end()),
        *std::max_element(open.begin(), open.end()));
    std::printf("open CPU time (all threads): median %.3f s\n", median(open_cpu));
    print_background(background);
    std::printf("budget 1.000 s: %s\n", med <= 1.0 ? "met" : "MISSED");
    return 0;
}
