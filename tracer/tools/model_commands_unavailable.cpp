// cogen-trace stalls and why, when this build has no visualizer model (visualizer/model): the
// commands exist, say why they can't run, and exit 2.
#include <cstdio>
#include <memory>
#include <string>

#include "cli_common.hpp"

namespace cogen::trace::cli {
namespace {

void add_unavailable(CLI::App& app, int& exit_code, const char* name, const char* what) {
    auto* command = app.add_subcommand(
        name, std::string(what) + " (needs the visualizer model; not in this build)");
    command->allow_extras();
    command->callback([&exit_code, name, what] {
        std::fprintf(stderr,
                     "cogen-trace %s: this build has no visualizer model (visualizer/model), "
                     "which is what can %s\n",
                     name, what);
        exit_code = exit_bad_input;
    });
}

}  // namespace

void add_stalls_command(CLI::App& app, int& exit_code) {
    add_unavailable(app, exit_code, "stalls", "find stalled coroutines");
}

void add_why_command(CLI::App& app, int& exit_code) {
    add_unavailable(app, exit_code, "why", "explain a coroutine or a resume");
}

}  // namespace cogen::trace::cli
