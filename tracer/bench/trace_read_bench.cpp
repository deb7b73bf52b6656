// cogen-bench-trace-read: how fast the reader loads a big trace, and how many bytes an event
// takes in memory and on disk. Writes a synthetic trace (N events, default 1,000,000) in both
// formats to a temporary folder, then times read_trace_file() on each.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include "bench_args.hpp"
#include "cogen/trace/json_document.hpp"
#include "cogen/trace/jsonl_format.hpp"
#include "cogen/trace/reader.hpp"

namespace {

using namespace cogen;
using namespace cogen::trace;

// A plausible mix: workers sleeping and receiving, with polls in between.
TraceData synthetic_trace(std::size_t count) {
    TraceData data;
    data.header.program = "bench";
    data.header.backend = "epoll";
    data.strings.set(1, "Sleep");
    data.strings.set(2, "Recv");
    data.strings.set(3, "worker");
    data.events.reserve(count);
    std::uint64_t t = 0;
    for (std::size_t i = 0; i < count; ++i) {
        TraceEvent e;
        e.seq = i + 1;
        t += 50 + (i % 7) * 13;
        e.t_ns = t;
        e.coro = 1 + i % 64;
        e.op = 1 + i / 5;
        e.op_type = 1;
        switch (i % 5) {
            case 0:
                e.kind = EventKind::coro_suspend;
                break;
            case 1:
                e.kind = EventKind::op_process;
                e.a = 2;
                e.b = 1000000;
                break;
            case 2:
                e.kind = EventKind::op_run;
                e.op_type = 2;
                e.fd = 7;
                e.a = 512;
                e.b = 1;
                break;
            case 3:
                e.kind = EventKind::op_finalize;
                break;
            default:
                e.kind = EventKind::coro_resume;
                e.a = 1;
                break;
        }
        data.events.push_back(e);
    }
    return data;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void measure(const char* label, const std::string& path, std::size_t count) {
    const auto size = std::filesystem::file_size(path);
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    const TraceData back = read_trace_file(path);
    const double wall = seconds_since(start);
    const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    std::printf(
        "%-14s %zu events, %.1f MB on disk (%.1f B/event), read in %.3f s wall, "
        "%.3f s CPU (%.2f M events/s of CPU)\n",
        label, back.events.size(), static_cast<double>(size) / 1e6,
        static_cast<double>(size) / static_cast<double>(count), wall, cpu,
        static_cast<double>(back.events.size()) / cpu / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::bench::check_positional_args(
            argc, argv, "usage: cogen-bench-trace-read [events (1000000)]", 1, 1);
        status >= 0) {
        return status;
    }
    const std::size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("cogen-bench-trace-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const TraceData data = synthetic_trace(count);
    {
        std::ofstream jsonl{dir / "trace.jsonl", std::ios::binary};
        export_jsonl(data, jsonl);
        std::ofstream json{dir / "trace.json", std::ios::binary};
        export_json(data, json);
    }
    std::printf("in memory      %zu B/event (sizeof(TraceEvent))\n", sizeof(TraceEvent));
    measure("JSON Lines", (dir / "trace.jsonl").string(), count);
    measure("JSON document", (dir / "trace.json").string(), count);
    std::filesystem::remove_all(dir);
    return 0;
}
