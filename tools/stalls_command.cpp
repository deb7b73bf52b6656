// cogen-trace stalls FILE | --attach ADDR: stall findings of a recorded trace, from the visualizer
// model (cogen::vizmodel, docs/stalls.md). Exit 1 when there are findings.
#include <chrono>
#include <iostream>

#include "cli_common.hpp"
#include "cogen/viz/stall_detector.hpp"
#include "cogen/viz/trace_model.hpp"

namespace cogen::trace::cli {

void add_stalls_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "stalls",
        "Find stalled coroutines: untimed waits, orphan signals, deadlocks, CPU hogs, "
        "fds never ready, unjoined failures; exit 1 when any is found");
    struct Args {
        InputOptions input;
        std::string path;
        double untimed_wait_ms = 1000;
        double cpu_hog_ms = 50;
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
    add_trace_source(*command, args->path, args->input);
    args->input.keep_heartbeat = true;  // a live feed's "now": how long the stalls have lasted
    command->callback([args, &exit_code] {
        const TraceData data = load_trace(args->path, args->input);
        const viz::TraceModel model{data};
        viz::StallOptions options;
        const auto ms = [](double v) {
            return std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::duration<double, std::milli>(v));
        };
        options.untimed_wait = ms(args->untimed_wait_ms);
        options.cpu_hog = ms(args->cpu_hog_ms);
        const auto findings = viz::find_stalls_at_end(model, options);
        for (const viz::Finding& f : findings) {
            std::cout << to_string(f.kind) << "  coro " << f.coro;
            if (!f.coro_name.empty()) std::cout << " \"" << f.coro_name << "\"";
            std::cout << "  since #" << f.since_seq << ": " << f.explanation << "\n";
        }
        if (findings.empty()) std::cout << "no stalls found\n";
        exit_code = findings.empty() ? exit_ok : exit_findings;
    });
}

}  // namespace cogen::trace::cli
