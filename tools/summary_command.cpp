// cogen-trace summary FILE: coroutines, operations by type, time per state, polls, drops.
// Streams the file (SummaryBuilder holds the live coroutines and open ops only).
#include <iostream>

#include "cli_common.hpp"
#include "cogen/trace/summary.hpp"

namespace cogen::trace::cli {

void add_summary_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "summary", "Coroutines and how they ended, operations by type, time in each state, polls");
    auto options = std::make_shared<InputOptions>();
    auto path = std::make_shared<std::string>();
    add_trace_source(*command, *path, *options);
    add_range_options(*command, *options);
    command->callback([options, path, &exit_code] {
        SummaryBuilder builder;
        const TraceData tail = stream_trace(*path, *options, [&](const TraceBatch& batch) {
            for (const TraceEvent& e : batch.events) builder.add(e, batch.strings);
        });
        std::cout << format_summary(builder.finish(), tail.header);
        exit_code = exit_ok;
    });
}

}  // namespace cogen::trace::cli
