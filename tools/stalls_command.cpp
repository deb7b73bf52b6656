// cogen-trace stalls FILE | --attach ADDR [--json]: stall findings of a recorded trace, from the
// visualizer model (cogen::vizmodel, docs/stalls.md). Exit 1 when there are findings. The file is
// streamed through a viz::StallTracker: the state reducer and what the findings cite, no event
// history, so memory follows the coroutines alive, not the length of the trace.
#include <chrono>
#include <iostream>
#include <optional>

#include "cli_common.hpp"
#include "cogen/viz/stall_json.hpp"
#include "cogen/viz/stall_tracker.hpp"

namespace cogen::trace::cli {

void add_stalls_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "stalls",
        "Find stalled coroutines: untimed waits, orphan signals, deadlocks, CPU hogs, "
        "fds never ready, unjoined failures, starvation, retry loops, backlogs, stalled I/O; "
        "exit 1 when any is found");
    struct Args {
        InputOptions input;
        std::string path;
        double untimed_wait_ms = 1000;
        double cpu_hog_ms = 50;
        double starved_ms = 100;
        unsigned retry_loop = 20;
        std::uint64_t backlog_items = 100;
        double stalled_io_ms = 1000;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    command
        ->add_option("--untimed-wait-ms", args->untimed_wait_ms,
                     "Report waits without a timeout longer than this")
        ->capture_default_str();
    command
        ->add_option("--cpu-hog-ms", args->cpu_hog_ms,
                     "Report runs between two suspensions longer than this")
        ->capture_default_str();
    command
        ->add_option("--starved-ms", args->starved_ms,
                     "Report stays in the active queue longer than this while others ran")
        ->capture_default_str();
    command
        ->add_option("--retry-loop", args->retry_loop,
                     "Report this many timeouts in a row on a wait nobody can end")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    command
        ->add_option("--backlog-items", args->backlog_items,
                     "Report unbounded queues that held this many items")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    command
        ->add_option("--stalled-io-ms", args->stalled_io_ms,
                     "Report fd waits that moved bytes, then none for this long")
        ->capture_default_str();
    command->add_flag("--json", args->json,
                      "One JSON object per finding, one per line (kind, coroutine, blame, since, "
                      "duration_ns, sentence); nothing when there is none");
    add_trace_source(*command, args->path, args->input);
    add_range_options(*command, args->input);
    args->input.keep_heartbeat = true;  // a live feed's "now": how long the stalls have lasted
    command->callback([args, &exit_code] {
        // The state needs every event from the start: --from only filters the findings.
        InputOptions input = args->input;
        std::optional<RangeBound> from;
        if (!input.from.empty()) from = parse_range_bound(input.from);
        input.from.clear();
        viz::StallOptions options;
        const auto ms = [](double v) {
            return std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::duration<double, std::milli>(v));
        };
        options.untimed_wait = ms(args->untimed_wait_ms);
        options.cpu_hog = ms(args->cpu_hog_ms);
        options.starved = ms(args->starved_ms);
        options.retry_loop = args->retry_loop;
        options.backlog_items = args->backlog_items;
        options.stalled_io = ms(args->stalled_io_ms);
        viz::StallTracker tracker{options};
        std::uint32_t strings = 1;
        std::optional<std::uint64_t> first_t;
        const auto add_strings = [&](const StringTable& table) {
            for (; strings < table.size(); ++strings) {
                if (!table.get(strings).empty()) tracker.add_string(strings, table.get(strings));
            }
        };
        const TraceData tail = stream_trace(args->path, input, [&](const TraceBatch& batch) {
            add_strings(batch.strings);
            if (!first_t) {
                for (const TraceEvent& e : batch.events) {
                    if (e.kind == EventKind::trace_heartbeat) continue;
                    first_t = e.t_ns;
                    break;
                }
            }
            tracker.add_events(batch.events);
        });
        add_strings(tail.strings);
        // As find_stalls_at_end judges: at the last sched.run.end (before the scheduler's
        // destructor kills what was left), else after the last event.
        auto findings = tracker.findings_at_end();
        if (from) {
            std::erase_if(findings, [&](const viz::Finding& f) {
                return from->is_time ? f.since_t_ns < first_t.value_or(0) + from->value
                                     : f.since_seq < from->value;
            });
        }
        exit_code = findings.empty() ? exit_ok : exit_findings;
        if (args->json) {
            for (const viz::Finding& f : findings) std::cout << viz::to_json(f) << "\n";
            return;
        }
        for (const viz::Finding& f : findings) {
            std::cout << to_string(f.kind) << "  coro " << f.coro;
            if (!f.coro_name.empty()) std::cout << " \"" << f.coro_name << "\"";
            std::cout << "  since #" << f.since_seq << ": " << f.explanation << "\n";
        }
        if (findings.empty()) std::cout << "no stalls found\n";
    });
}

}  // namespace cogen::trace::cli
