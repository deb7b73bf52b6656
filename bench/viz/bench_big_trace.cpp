// cogen-bench-big-trace: traces of a real server's size (issue 17), in constant memory.
//   cogen-bench-big-trace write FILE EVENTS [ALIVE]
//       writes the synthetic server workload (synthetic_workload.hpp), streamed: the file
//       can be far larger than memory. In the binary format, or as JSON Lines when FILE
//       ends in .jsonl (as COGEN_TRACE=file:PATH decides). Then time `cogen-trace` on it.
//   cogen-bench-big-trace live EVENTS [ALIVE [KEEP_EVENTS]]
//       what attach mode does for an hour: feeds the events one by one into a TraceModel
//       with a bounded window (default 1,000,000 events) and prints the rate and the resident
//       memory every tenth, which must stay flat.
//   cogen-bench-big-trace read FILE
//       read_trace_events() alone over FILE: the reader's throughput.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/jsonl_format.hpp"
#include "cogen/trace/reader.hpp"
#include "cogen/viz/stall_detector.hpp"
#include "cogen/viz/trace_model.hpp"
#include "rss.hpp"
#include "synthetic_workload.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

double mb(long bytes) {
    return static_cast<double>(bytes) / 1e6;
}

int usage() {
    std::fprintf(stderr,
                 "usage: cogen-bench-big-trace write FILE EVENTS [ALIVE (20000)]\n"
                 "       cogen-bench-big-trace live EVENTS [ALIVE (20000) [KEEP (1000000)]]\n"
                 "       cogen-bench-big-trace read FILE\n");
    return 2;
}

int write_file(const std::string& path, std::size_t events, std::size_t alive) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) {
        std::perror(path.c_str());
        return 1;
    }
    const bool jsonl = path.size() >= 6 && path.ends_with(".jsonl");
    const auto start = Clock::now();
    std::string buf;
    bool header = false;
    std::uint64_t bytes = 0;
    cogen::trace::BinaryEncoder encoder;
    const auto flush = [&](std::size_t at_least) {
        if (buf.size() < at_least) return;
        out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
        bytes += buf.size();
        buf.clear();
    };
    cogen::viz::bench::SyntheticWorkload workload(
        events, alive,
        [&](const cogen::trace::TraceData& data, std::span<const cogen::TraceEvent> chunk) {
            if (!header) {
                if (jsonl) {
                    cogen::trace::append_jsonl_header(buf, data.header);
                    for (std::uint32_t id = 1; id < data.strings.size(); ++id)
                        cogen::trace::append_jsonl_string(buf, id, data.strings.get(id));
                } else {
                    cogen::trace::BinaryEncoder::append_header(buf, data.header);
                    for (std::uint32_t id = 1; id < data.strings.size(); ++id)
                        encoder.add_string(id, data.strings.get(id));
                }
                header = true;
            }
            for (const cogen::TraceEvent& e : chunk) {
                if (jsonl) {
                    cogen::trace::append_jsonl_event(buf, e, data.strings);
                } else {
                    encoder.add_event(e);
                    if (encoder.block_size() >= cogen::trace::BinaryEncoder::block_target)
                        encoder.finish_block(buf);
                }
                flush(std::size_t{1} << 20);
            }
        });
    encoder.finish_block(buf);
    flush(0);
    std::printf(
        "wrote %s (%s): %zu events, %zu alive, %.1f MB (%.1f B/event) in %.1f s, "
        "peak RSS %.0f MB\n",
        path.c_str(), jsonl ? "JSON Lines" : "binary", events, alive,
        static_cast<double>(bytes) / 1e6, static_cast<double>(bytes) / static_cast<double>(events),
        seconds_since(start), mb(cogen::bench::rss_bytes()));
    return out ? 0 : 1;
}

int live(std::size_t events, std::size_t alive, std::size_t keep) {
    cogen::viz::TraceModel model{cogen::viz::ModelOptions{.keep_events = keep}};
    const auto start = Clock::now();
    auto last = start;
    std::uint64_t fed = 0;
    std::uint64_t next_report = events / 10;
    bool strings = false;
    cogen::viz::bench::SyntheticWorkload workload(
        events, alive,
        [&](const cogen::trace::TraceData& data, std::span<const cogen::TraceEvent> chunk) {
            if (!strings) {
                for (std::uint32_t id = 1; id < data.strings.size(); ++id)
                    model.add_string(id, data.strings.get(id));
                strings = true;
            }
            for (const cogen::TraceEvent& e : chunk) {
                model.add_event(e);
                if (++fed == next_report) {
                    const double dt = seconds_since(last);
                    last = Clock::now();
                    std::printf(
                        "%5.1fM events: %.2f M events/s, model %zu events (%llu fell off), "
                        "%zu coroutines in the state, RSS %.0f MB\n",
                        static_cast<double>(fed) / 1e6, static_cast<double>(events / 10) / 1e6 / dt,
                        model.size(), static_cast<unsigned long long>(model.dropped_events()),
                        model.latest().coroutines.size(), mb(cogen::bench::rss_bytes()));
                    std::fflush(stdout);
                    next_report += events / 10;
                }
            }
        },
        65536);
    const auto t = Clock::now();
    const auto findings = cogen::viz::find_stalls(model, model.latest(), model.now_ns());
    std::printf("stall findings on the latest state: %zu in %.1f ms\n", findings.size(),
                seconds_since(t) * 1e3);
    std::printf("total %.1f s for %zu events\n", seconds_since(start), events);
    return 0;
}

int read_only(const std::string& path) {
    const auto start = Clock::now();
    std::uint64_t events = 0;
    std::uint64_t bytes = 0;
    cogen::trace::read_trace_events(path, {}, [&](const cogen::trace::TraceBatch& batch) {
        events += batch.events.size();
        bytes = batch.bytes_read;
    });
    const double s = seconds_since(start);
    std::printf(
        "read %llu events (%.1f MB) in %.2f s: %.1f M events/s, %.0f MB/s, peak RSS %.0f MB\n",
        static_cast<unsigned long long>(events), static_cast<double>(bytes) / 1e6, s,
        static_cast<double>(events) / 1e6 / s, static_cast<double>(bytes) / 1e6 / s,
        mb(cogen::bench::rss_bytes()));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) return usage();
    const std::string mode = argv[1];
    const auto number = [&](int i, std::size_t fallback) {
        return argc > i ? std::strtoull(argv[i], nullptr, 10) : fallback;
    };
    if (mode == "write" && argc >= 4) return write_file(argv[2], number(3, 0), number(4, 20000));
    if (mode == "live") return live(number(2, 0), number(3, 20000), number(4, 1'000'000));
    if (mode == "read") return read_only(argv[2]);
    return usage();
}
