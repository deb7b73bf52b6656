// cogen-bench-big-trace: traces of a real server's size (issue 17), in constant memory.
//   cogen-bench-big-trace write FILE EVENTS [ALIVE [FINISH_ONE_IN]]
//       writes the synthetic server workload (synthetic_workload.hpp; with FINISH_ONE_IN, a
//       woken coroutine finishes once in that many wakes and a new one replaces it), streamed: the
//       file can be far larger than memory. In the binary format, or as JSON Lines when FILE ends
//       in .jsonl (as COGEN_TRACE=file:PATH decides). Then time `cogen-trace` on it.
//   cogen-bench-big-trace live EVENTS [ALIVE [KEEP_EVENTS [FINISH_ONE_IN]]]
//       what attach mode does for an hour: feeds the events one by one into a TraceModel
//       with a bounded window (default 1,000,000 events) and prints the rate and the resident
//       memory every tenth, which must stay flat (and the rate too, once the window trims;
//       FINISH_ONE_IN as for write: coroutines coming and going, as a server's do).
//   cogen-bench-big-trace read FILE
//       read_trace_events() alone over FILE: the reader's throughput.
//   cogen-bench-big-trace stalls FILE
//       what `cogen-trace stalls` does (decoding on a second thread, a StallTracker on this
//       one), with the CPU time of each thread: on an idle two-core machine the wall time is
//       about the larger of the two, whatever else the machine was running meanwhile.
#include <time.h>

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
#include "cogen/viz/stall_tracker.hpp"
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
                 "usage: cogen-bench-big-trace write FILE EVENTS [ALIVE (20000) [FINISH_ONE_IN (0: "
                 "never)]]\n"
                 "       cogen-bench-big-trace live EVENTS [ALIVE (20000) [KEEP (1000000) "
                 "[FINISH_ONE_IN (0: never)]]]\n"
                 "       cogen-bench-big-trace read FILE\n"
                 "       cogen-bench-big-trace stalls FILE\n");
    return 2;
}

int write_file(const std::string& path, std::size_t events, std::size_t alive,
               std::size_t finish_one_in) {
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
        },
        std::size_t{1} << 20, finish_one_in);
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

int live(std::size_t events, std::size_t alive, std::size_t keep, std::size_t finish_one_in) {
    cogen::viz::TraceModel model{cogen::viz::ModelOptions{.keep_events = keep}};
    const auto start = Clock::now();
    auto last = start;
    std::uint64_t fed = 0;
    std::uint64_t next_report = events / 10;
    bool strings = false;
    double longest_batch = 0;  // the longest a batch of events took: one with a trim
    cogen::viz::bench::SyntheticWorkload workload(
        events, alive,
        [&](const cogen::trace::TraceData& data, std::span<const cogen::TraceEvent> chunk) {
            if (!strings) {
                for (std::uint32_t id = 1; id < data.strings.size(); ++id)
                    model.add_string(id, data.strings.get(id));
                strings = true;
            }
            const auto batch_start = Clock::now();
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
            longest_batch = std::max(longest_batch, seconds_since(batch_start));
        },
        65536, finish_one_in);
    const auto t = Clock::now();
    const auto findings = cogen::viz::find_stalls(model, model.latest(), model.now_ns());
    std::printf("stall findings on the latest state: %zu in %.1f ms\n", findings.size(),
                seconds_since(t) * 1e3);
    std::printf("longest batch of 65536 events: %.0f ms (the window's trims are in batches)\n",
                longest_batch * 1e3);
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

double cpu_seconds(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

int stalls(const std::string& path) {
    const auto start = Clock::now();
    cogen::viz::StallTracker tracker;
    std::uint32_t strings = 1;
    const auto add_strings = [&](const cogen::trace::StringTable& table) {
        for (; strings < table.size(); ++strings) tracker.add_string(strings, table.get(strings));
    };
    const cogen::trace::TraceData tail = cogen::trace::read_trace_events(
        path, {.background = true}, [&](const cogen::trace::TraceBatch& batch) {
            add_strings(batch.strings);
            tracker.add_events(batch.events);
        });
    add_strings(tail.strings);
    const double fed = seconds_since(start);
    const double tracker_cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    const auto findings = tracker.findings_at_end();
    const double wall = seconds_since(start);
    const double process_cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
    std::printf(
        "%llu events, %zu findings: wall %.2f s (%.2f s reading and reducing, %.2f s judging); "
        "CPU %.2f s, of which the tracker's thread %.2f s and the decoder's %.2f s; "
        "%.0f ns/event on the tracker's thread; tracker %.1f MB; peak RSS %.0f MB\n",
        static_cast<unsigned long long>(tracker.events()), findings.size(), wall, fed, wall - fed,
        process_cpu, tracker_cpu, process_cpu - cpu_seconds(CLOCK_THREAD_CPUTIME_ID),
        tracker_cpu * 1e9 / static_cast<double>(std::max<std::uint64_t>(1, tracker.events())),
        static_cast<double>(tracker.approx_bytes()) / 1e6, mb(cogen::bench::rss_bytes()));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) return usage();
    const std::string mode = argv[1];
    const auto number = [&](int i, std::size_t fallback) {
        return argc > i ? std::strtoull(argv[i], nullptr, 10) : fallback;
    };
    if (mode == "write" && argc >= 4)
        return write_file(argv[2], number(3, 0), number(4, 20000), number(5, 0));
    if (mode == "live")
        return live(number(2, 0), number(3, 20000), number(4, 1'000'000), number(5, 0));
    if (mode == "read") return read_only(argv[2]);
    if (mode == "stalls") return stalls(argv[2]);
    return usage();
}
