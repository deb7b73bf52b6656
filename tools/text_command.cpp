// cogen-trace text FILE: the time-free rendering, one line per event.
#include <iostream>

#include "cli_common.hpp"
#include "cogen/trace/text_render.hpp"

namespace cogen::trace::cli {

void add_text_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "text", "Print the trace as time-free text, one line per event (what tests compare)");
    struct Args {
        InputOptions input;
        std::string path;
        bool normalize = false;
    };
    auto args = std::make_shared<Args>();
    command->add_flag("-n,--normalize", args->normalize,
                      "Number coroutines, ops and events by first appearance (as diff does)");
    add_trace_source(*command, args->path, args->input);
    command->callback([args, &exit_code] {
        const TraceData data = load_trace(args->path, args->input);
        TextRenderer renderer{data.strings, TextOptions{.normalize_ids = args->normalize}};
        std::string buf;
        for (const TraceEvent& e : data.events) {
            buf.append(renderer.line(e));
            buf.push_back('\n');
            if (buf.size() >= (1u << 16)) {
                std::cout << buf;
                buf.clear();
            }
        }
        std::cout << buf;
        exit_code = exit_ok;
    });
}

}  // namespace cogen::trace::cli
