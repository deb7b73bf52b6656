// cogen-bench-viz-open: how long cogen-viz takes to open a big trace — read the JSONL file
// with the tracer's reader and build the TraceModel, up to the first frame's state and
// stall findings. Budget: 1M events in at most 1 s (median of 5).
// Usage: cogen-bench-viz-open [events (1000000) [alive coroutines (2000)]]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
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

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::bench::check_positional_args(
            argc, argv, "usage: cogen-bench-viz-open [events (1000000) [alive coroutines (2000)]]",
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
    std::printf("open CPU time (both threads): median %.3f s\n", median(open_cpu));
    std::printf("budget 1.000 s: %s\n", med <= 1.0 ? "met" : "MISSED");
    return 0;
}
