// cogen-trace stalls, when this build has no visualizer model (visualizer/model): the command
// exists, says why it can't run, and exits 2.
#include <cstdio>

#include "cli_common.hpp"

namespace cogen::trace::cli {

void add_stalls_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "stalls", "Find stalled coroutines (needs the visualizer model; not in this build)");
    auto path = std::make_shared<std::string>();
    command->add_option("FILE", *path, "Trace file (.jsonl or .json)")->required();
    command->callback([&exit_code] {
        std::fprintf(stderr,
                     "cogen-trace stalls: this build has no visualizer model "
                     "(visualizer/model), which finds stalls\n");
        exit_code = exit_bad_input;
    });
}

}  // namespace cogen::trace::cli
